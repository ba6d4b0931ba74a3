{{/*
Rules between values that values.schema.json cannot say clearly: each failure names the values and
what to do. Included once, by the bot's Deployment.
*/}}
{{- define "harbormaster.validate" -}}
{{- $v := .Values }}
{{- if and $v.catalog $v.existingConfigMap }}
{{- fail "catalog and existingConfigMap are both set: give the catalog one way, not both" }}
{{- end }}
{{- if and $v.existingConfigMap $v.rbac.create (not $v.rbac.namespaces) }}
{{- fail "rbac.namespaces is empty: with existingConfigMap the chart cannot read the catalog, so list the namespaces of its environments (the worker gets a Role in each)" }}
{{- end }}
{{- if not $v.existingConfigMap }}
{{- $catalog := include "harbormaster.catalogYaml" . | fromYaml }}
{{- $granted := include "harbormaster.deployNamespaces" . | fromJsonArray }}
{{- range $name, $environment := $catalog.environments }}
{{- if $environment.kubeContext }}
{{- fail (printf "catalog.environments.%s.kubeContext is %q: in the cluster Harbormaster uses its ServiceAccount, which has no kube contexts; remove kubeContext (this chart deploys into its own cluster)" $name $environment.kubeContext) }}
{{- end }}
{{- if and $v.rbac.create (not (has $environment.namespace $granted)) }}
{{- fail (printf "catalog.environments.%s.namespace %q is not in rbac.namespaces %s: the worker would have no rights there; add it" $name $environment.namespace (toJson $granted)) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $v.bot.ingress.enabled (ne $v.slack.mode "http") }}
{{- fail "bot.ingress.enabled needs slack.mode: http: in Socket Mode Slack never calls the bot, so there is nothing to expose" }}
{{- end }}
{{- if and $v.createNamespaces (not $v.rbac.namespaces) $v.existingConfigMap }}
{{- fail "createNamespaces needs rbac.namespaces: with existingConfigMap the chart cannot read the catalog's namespaces" }}
{{- end }}
{{- $autoscaling := $v.worker.autoscaling }}
{{- if gt (int $autoscaling.keda.minReplicaCount) (int $autoscaling.keda.maxReplicaCount) }}
{{- fail "worker.autoscaling.keda.minReplicaCount is greater than maxReplicaCount" }}
{{- end }}
{{- if gt (int $autoscaling.hpa.minReplicas) (int $autoscaling.hpa.maxReplicas) }}
{{- fail "worker.autoscaling.hpa.minReplicas is greater than maxReplicas" }}
{{- end }}
{{- if and $autoscaling.keda.enabled $autoscaling.hpa.enabled }}
{{- fail "worker.autoscaling.keda.enabled and worker.autoscaling.hpa.enabled are both true: KEDA makes its own HPA; choose one" }}
{{- end }}
{{- if and $autoscaling.keda.enabled (not $autoscaling.keda.redis.address) (not (include "harbormaster.redisAddress" .)) }}
{{- fail "worker.autoscaling.keda.redis.address is empty and REDIS_URL comes whole from the Secret, so KEDA cannot know where Redis is: set externalRedis.host (the password then comes from secretKeys.redisPassword) or keda.redis.address" }}
{{- end }}
{{- if and (eq $autoscaling.keda.redis.type "redis-sentinel") $autoscaling.keda.enabled (not $autoscaling.keda.redis.sentinelMaster) }}
{{- fail "worker.autoscaling.keda.redis.sentinelMaster is empty: a redis-sentinel trigger needs the master set's name" }}
{{- end }}
{{- if and (hasPrefix "redis-cluster" $autoscaling.keda.redis.type) $autoscaling.keda.enabled (not (regexMatch "\\{[^}]+\\}" (printf "%s%s" $v.queue.prefix $v.queue.name))) }}
{{- fail "worker.autoscaling.keda.redis.type is redis-cluster but queue.prefix has no hash tag: on Redis Cluster set queue.prefix to e.g. '{harbormaster}' (Harbormaster refuses to start on a Cluster without one)" }}
{{- end }}
{{- if and $v.externalRedis.host $autoscaling.keda.enabled (ne $autoscaling.keda.redis.type "redis") }}
{{- fail (printf "externalRedis.host builds a single-server URL, but KEDA's trigger is %s: give the whole REDIS_URL (redis+cluster:// or redis+sentinel://) in the Secret and leave externalRedis.host empty" $autoscaling.keda.redis.type) }}
{{- end }}
{{- if and (eq $v.worker.build.backend "external") (not $v.worker.build.external.host) }}
{{- fail "worker.build.external.host is empty: the external back end needs the builder's address, tcp://host:2376" }}
{{- end }}
{{- end }}
