{{/*
Names, labels and the values several templates derive.
*/}}
{{- define "harbormaster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name: the release name when it already holds the chart name. */}}
{{- define "harbormaster.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "harbormaster.botName" -}}
{{- printf "%s-bot" (include "harbormaster.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "harbormaster.workerName" -}}
{{- printf "%s-worker" (include "harbormaster.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "harbormaster.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "harbormaster.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "harbormaster.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "harbormaster.imageTag" .) }}
{{- end }}

{{/* Labels of every object; component (bot, worker, rbac, catalog) is passed in as a dict. */}}
{{- define "harbormaster.labels" -}}
helm.sh/chart: {{ include "harbormaster.chart" .root }}
{{ include "harbormaster.selectorLabels" . }}
app.kubernetes.io/version: {{ include "harbormaster.imageTag" .root | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: harbormaster
{{- end }}

{{- define "harbormaster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "harbormaster.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "harbormaster.botServiceAccount" -}}
{{- default (include "harbormaster.botName" .) .Values.serviceAccount.botName }}
{{- end }}

{{- define "harbormaster.workerServiceAccount" -}}
{{- default (include "harbormaster.workerName" .) .Values.serviceAccount.workerName }}
{{- end }}

{{- define "harbormaster.secretName" -}}
{{- default (include "harbormaster.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* The ConfigMap that holds the catalog. */}}
{{- define "harbormaster.catalogConfigMap" -}}
{{- default (printf "%s-catalog" (include "harbormaster.fullname" .)) .Values.existingConfigMap }}
{{- end }}

{{/* The catalog as rendered into the chart's ConfigMap: catalog, else the example. */}}
{{- define "harbormaster.catalogYaml" -}}
{{- if .Values.catalog }}
{{- toYaml .Values.catalog }}
{{- else }}
{{- .Files.Get "files/example-catalog.yaml" }}
{{- end }}
{{- end }}

{{/*
The namespaces the catalog deploys to, as a JSON list: rbac.namespaces, else the namespaces of the
rendered catalog's environments.
*/}}
{{- define "harbormaster.deployNamespaces" -}}
{{- if .Values.rbac.namespaces }}
{{- .Values.rbac.namespaces | uniq | toJson }}
{{- else if .Values.existingConfigMap }}
{{- list | toJson }}
{{- else }}
{{- $catalog := include "harbormaster.catalogYaml" . | fromYaml }}
{{- $namespaces := list }}
{{- range $name, $environment := $catalog.environments }}
{{- $namespaces = append $namespaces $environment.namespace }}
{{- end }}
{{- $namespaces | uniq | sortAlpha | toJson }}
{{- end }}
{{- end }}

{{/* Redis's host:port, when the chart knows it (externalRedis.host); else empty. */}}
{{- define "harbormaster.redisAddress" -}}
{{- if .Values.externalRedis.host }}
{{- printf "%s:%v" .Values.externalRedis.host .Values.externalRedis.port }}
{{- end }}
{{- end }}

{{/* Where Redis's password is, as a dict (secret, key): the release's Secret. */}}
{{- define "harbormaster.redisPasswordRef" -}}
{{- dict "secret" (include "harbormaster.secretName" .) "key" .Values.secretKeys.redisPassword | toJson }}
{{- end }}

{{/* BullMQ's key for a queue's waiting jobs: <prefix>:<queue>:wait. */}}
{{- define "harbormaster.waitList" -}}
{{- printf "%s:%s:wait" .Values.queue.prefix .Values.queue.name }}
{{- end }}

{{/* One environment variable from a Secret key. Takes a dict: name, secret, key, optional. */}}
{{- define "harbormaster.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}
