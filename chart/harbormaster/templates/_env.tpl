{{/*
The environment both processes read (core/config.ts). Takes a dict: root, port.
*/}}
{{- define "harbormaster.commonEnv" -}}
{{- $root := .root }}
{{- $values := $root.Values }}
{{- $secret := include "harbormaster.secretName" $root }}
{{- include "harbormaster.secretEnv" (dict "name" "SLACK_BOT_TOKEN" "secret" $secret "key" $values.secretKeys.slackBotToken) }}
{{- if eq $values.slack.mode "http" }}
{{ include "harbormaster.secretEnv" (dict "name" "SLACK_SIGNING_SECRET" "secret" $secret "key" $values.secretKeys.slackSigningSecret) }}
{{- else }}
{{ include "harbormaster.secretEnv" (dict "name" "SLACK_APP_TOKEN" "secret" $secret "key" $values.secretKeys.slackAppToken) }}
{{- end }}
{{- if $values.slack.apiUrl }}
- name: SLACK_API_URL
  value: {{ $values.slack.apiUrl | quote }}
{{- end }}
{{ include "harbormaster.secretEnv" (dict "name" "HARBORMASTER_JOB_KEY" "secret" $secret "key" $values.secretKeys.jobKey) }}
{{ include "harbormaster.redisEnv" $root }}
- name: HARBORMASTER_CONFIG
  value: /app/harbormaster.yaml
- name: HARBORMASTER_QUEUE
  value: {{ $values.queue.name | quote }}
- name: HARBORMASTER_QUEUE_PREFIX
  value: {{ $values.queue.prefix | quote }}
- name: PORT
  value: {{ .port | quote }}
- name: LOG_LEVEL
  value: {{ $values.logLevel | quote }}
{{- end }}

{{/*
REDIS_URL: whole from the Secret, or built from the address and REDIS_PASSWORD (declared first, so
that Kubernetes expands $(REDIS_PASSWORD) in it).
*/}}
{{- define "harbormaster.redisEnv" -}}
{{- $address := include "harbormaster.redisAddress" . }}
{{- if $address }}
{{- $ref := include "harbormaster.redisPasswordRef" . | fromJson }}
{{- include "harbormaster.secretEnv" (dict "name" "REDIS_PASSWORD" "secret" $ref.secret "key" $ref.key) }}
{{- $scheme := ternary "rediss" "redis" .Values.externalRedis.tls }}
- name: REDIS_URL
  value: {{ printf "%s://%s:$(REDIS_PASSWORD)@%s/%v" $scheme .Values.externalRedis.username $address .Values.externalRedis.database | quote }}
{{- else }}
{{- include "harbormaster.secretEnv" (dict "name" "REDIS_URL" "secret" (include "harbormaster.secretName" .) "key" .Values.secretKeys.redisUrl) }}
{{- end }}
{{- end }}

{{/* The volumes and mounts both processes have: the catalog, read-only, and a writable /tmp. */}}
{{- define "harbormaster.catalogMount" -}}
- name: catalog
  mountPath: /app/harbormaster.yaml
  subPath: {{ .Values.catalogKey }}
  readOnly: true
{{- end }}

{{- define "harbormaster.catalogVolume" -}}
- name: catalog
  configMap:
    name: {{ include "harbormaster.catalogConfigMap" . }}
    items:
      - key: {{ .Values.catalogKey }}
        path: {{ .Values.catalogKey }}
{{- end }}

{{/* Restarts the pods when the rendered catalog changes (it is read once, at start-up). */}}
{{- define "harbormaster.catalogChecksum" -}}
{{- if not .Values.existingConfigMap }}
checksum/catalog: {{ include "harbormaster.catalogYaml" . | sha256sum }}
{{- end }}
{{- end }}
