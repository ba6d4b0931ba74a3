{{/*
The worker's Docker Engine, per worker.build.backend: its env, mounts, volumes and sidecar.
*/}}
{{- define "harbormaster.dockerSocketDir" -}}/var/lib/harbormaster-docker{{- end }}

{{- define "harbormaster.buildEnv" -}}
{{- $build := .Values.worker.build }}
{{- if eq $build.backend "dind-rootless" }}
- name: DOCKER_HOST
  value: unix://{{ include "harbormaster.dockerSocketDir" . }}/docker.sock
{{- else if eq $build.backend "external" }}
- name: DOCKER_HOST
  value: {{ $build.external.host | quote }}
{{- if $build.external.tlsSecret }}
- name: DOCKER_TLS_VERIFY
  value: "1"
- name: DOCKER_CERT_PATH
  value: /etc/harbormaster/docker-certs
{{- end }}
{{- else }}
- name: DOCKER_HOST
  value: unix:///var/run/docker.sock
{{- end }}
{{- with $build.networkMode }}
- name: DOCKER_BUILD_NETWORK
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "harbormaster.buildMounts" -}}
{{- $build := .Values.worker.build }}
{{- if eq $build.backend "dind-rootless" }}
- name: docker-socket
  mountPath: {{ include "harbormaster.dockerSocketDir" . }}
{{- else if and (eq $build.backend "external") $build.external.tlsSecret }}
- name: docker-certs
  mountPath: /etc/harbormaster/docker-certs
  readOnly: true
{{- else if eq $build.backend "host-socket" }}
- name: docker-socket
  mountPath: /var/run/docker.sock
{{- end }}
{{- end }}

{{- define "harbormaster.buildVolumes" -}}
{{- $build := .Values.worker.build }}
{{- if eq $build.backend "dind-rootless" }}
- name: docker-socket
  emptyDir:
    sizeLimit: 1Mi
- name: docker-data
  emptyDir:
    sizeLimit: {{ $build.dindRootless.storageSizeLimit }}
- name: docker-run
  emptyDir:
    sizeLimit: 64Mi
{{- else if and (eq $build.backend "external") $build.external.tlsSecret }}
- name: docker-certs
  secret:
    secretName: {{ $build.external.tlsSecret }}
    defaultMode: 0400
    items:
      - key: ca.pem
        path: ca.pem
      - key: cert.pem
        path: cert.pem
      - key: key.pem
        path: key.pem
{{- else if eq $build.backend "host-socket" }}
# DANGER: the node's Docker socket. Whoever reaches it is root on the node.
- name: docker-socket
  hostPath:
    path: {{ $build.hostSocket.path }}
    type: Socket
{{- end }}
{{- end }}

{{/*
The rootless Docker daemon, as a native sidecar (an init container that keeps running): it starts
before the worker, and the worker starts only once the daemon answers. It listens only on the unix
socket in the shared emptyDir (no TCP port: the image's default would open 2375/2376).
*/}}
{{- define "harbormaster.dindSidecar" -}}
{{- $dind := .Values.worker.build.dindRootless }}
- name: docker
  image: {{ printf "%s:%s" $dind.image.repository $dind.image.tag | quote }}
  imagePullPolicy: {{ $dind.image.pullPolicy }}
  restartPolicy: Always
  args:
    - dockerd
    - --host=unix://{{ include "harbormaster.dockerSocketDir" . }}/docker.sock
  startupProbe:
    exec:
      command: [docker, --host=unix://{{ include "harbormaster.dockerSocketDir" . }}/docker.sock, version]
    periodSeconds: 2
    failureThreshold: 60
  livenessProbe:
    exec:
      command: [docker, --host=unix://{{ include "harbormaster.dockerSocketDir" . }}/docker.sock, version]
    periodSeconds: 20
    timeoutSeconds: 10
  resources:
    {{- toYaml $dind.resources | nindent 4 }}
  securityContext:
    # The daemon runs as the image's `rootless` user (1000), in a user namespace of its own.
    runAsUser: 1000
    runAsGroup: 1000
    runAsNonRoot: true
    {{- if $dind.privileged }}
    # Needed to create that user namespace and mount /proc in it on runc and crun.
    privileged: true
    {{- else }}
    privileged: false
    seccompProfile:
      type: Unconfined
    appArmorProfile:
      type: Unconfined
    {{- end }}
  volumeMounts:
    - name: docker-socket
      mountPath: {{ include "harbormaster.dockerSocketDir" . }}
    - name: docker-data
      mountPath: /home/rootless/.local/share/docker
    - name: docker-run
      mountPath: /run/user/1000
{{- end }}
