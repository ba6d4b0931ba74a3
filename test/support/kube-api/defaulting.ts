import {
  ensureObject,
  isJsonObject,
  objectAt,
  objectsAt,
  stringAt,
  type JsonObject,
} from './json.js';
import type { KubeObject } from './objects.js';
import type { ResourceType } from './resource-types.js';

function setDefault(target: JsonObject, key: string, value: JsonObject[string]): void {
  if (target[key] === undefined) target[key] = value;
}

/** imagePullPolicy defaults to Always for `:latest` or untagged images, else IfNotPresent. */
function pullPolicyFor(image: string): string {
  const lastSegment = image.split('/').pop() ?? image;
  if (lastSegment.includes('@')) return 'IfNotPresent';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainers(spec: JsonObject, list: string): void {
  for (const container of objectsAt(spec, list)) {
    setDefault(container, 'terminationMessagePath', '/dev/termination-log');
    setDefault(container, 'terminationMessagePolicy', 'File');
    setDefault(container, 'imagePullPolicy', pullPolicyFor(stringAt(container, 'image') ?? ''));
    setDefault(container, 'resources', {});
    for (const port of objectsAt(container, 'ports')) setDefault(port, 'protocol', 'TCP');
  }
}

/** SetDefaults_PodSpec and the ServiceAccount admission plugin, for the fields a client sees. */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  defaultContainers(spec, 'containers');
  defaultContainers(spec, 'initContainers');
}

function defaultTemplate(object: KubeObject): void {
  const template = objectAt(object, 'spec', 'template');
  if (template === undefined) return;
  const spec = template.spec;
  if (isJsonObject(spec)) defaultPodSpec(spec);
}

function defaultService(object: KubeObject): void {
  const spec = ensureObject(object, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  for (const port of objectsAt(spec, 'ports')) {
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port ?? null);
  }
}

/** Defaults the API server applies on every write, so what clients read back matches a real cluster. */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
  switch (type.kind) {
    case 'Deployment': {
      const spec = ensureObject(object, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      setDefault(spec, 'strategy', { type: 'RollingUpdate' });
      const strategy = ensureObject(spec, 'strategy');
      if (strategy.type === 'RollingUpdate') {
        const rolling = ensureObject(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxSurge', '25%');
        setDefault(rolling, 'maxUnavailable', '25%');
      }
      defaultTemplate(object);
      break;
    }
    case 'ReplicaSet':
      setDefault(ensureObject(object, 'spec'), 'replicas', 1);
      defaultTemplate(object);
      break;
    case 'Pod':
      defaultPodSpec(ensureObject(object, 'spec'));
      break;
    case 'Service':
      defaultService(object);
      break;
    case 'Secret':
      setDefault(object, 'type', 'Opaque');
      break;
    case 'Namespace': {
      const labels = (object.metadata.labels ??= {});
      labels['kubernetes.io/metadata.name'] = object.metadata.name ?? '';
      setDefault(ensureObject(object, 'spec'), 'finalizers', ['kubernetes']);
      break;
    }
    default:
      break;
  }
}

/** Secret.stringData is write-only: it is merged into data, base64-encoded, and never stored. */
export function foldStringData(object: KubeObject): void {
  const stringData = object.stringData;
  if (!isJsonObject(stringData)) return;
  const data = ensureObject(object, 'data');
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  delete object.stringData;
}
