import type { KubeApi } from '../api.js';
import { isJsonObject, objectsAt, stringAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import { SECRETS } from '../controllers/kinds.js';

export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

/** "http://127.0.0.1:5000/v2/" and "127.0.0.1:5000" name the same registry. */
function registryKey(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

function credentialsFrom(entry: JsonObject, registry: string): RegistryAuth | undefined {
  let username = stringAt(entry, 'username');
  let password = stringAt(entry, 'password');
  const auth = stringAt(entry, 'auth');
  if ((username === undefined || password === undefined) && auth !== undefined) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (username === undefined || password === undefined) return undefined;
  return { username, password, serveraddress: registry };
}

function authsOf(secret: KubeObject): JsonObject | undefined {
  const type = stringAt(secret, 'type');
  const key =
    type === 'kubernetes.io/dockerconfigjson'
      ? '.dockerconfigjson'
      : type === 'kubernetes.io/dockercfg'
        ? '.dockercfg'
        : undefined;
  const data = key === undefined ? undefined : stringAt(secret, 'data', key);
  if (data === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
    if (!isJsonObject(parsed)) return undefined;
    return type === 'kubernetes.io/dockercfg'
      ? parsed
      : isJsonObject(parsed.auths)
        ? parsed.auths
        : undefined;
  } catch {
    return undefined;
  }
}

export interface PullCredentials {
  /** Credentials for the registry, in the order the pod's imagePullSecrets name them. */
  auths: RegistryAuth[];
  /** imagePullSecrets that do not exist, for the kubelet's warning. */
  missing: string[];
}

/** What the pod's imagePullSecrets hold for one registry. */
export function pullCredentials(api: KubeApi, pod: KubeObject, registry: string): PullCredentials {
  const namespace = pod.metadata.namespace ?? '';
  const result: PullCredentials = { auths: [], missing: [] };
  for (const reference of objectsAt(pod, 'spec', 'imagePullSecrets')) {
    const name = stringAt(reference, 'name') ?? '';
    const secret = api.tryGet(SECRETS, namespace, name);
    if (secret === undefined) {
      result.missing.push(name);
      continue;
    }
    for (const [key, entry] of Object.entries(authsOf(secret) ?? {})) {
      if (registryKey(key) !== registry || !isJsonObject(entry)) continue;
      const credentials = credentialsFrom(entry, registry);
      if (credentials !== undefined) result.auths.push(credentials);
    }
  }
  return result;
}
