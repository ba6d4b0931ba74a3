import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { KubeApi } from '../api.js';
import { CONFIG_MAPS, SECRETS } from '../controllers/kinds.js';
import { booleanAt, numberAt, objectAt, objectsAt, stringAt, type JsonObject } from '../json.js';
import type { KubeObject } from '../objects.js';
import { ContainerConfigError } from './env-vars.js';

/** The kubelet's default file mode for configMap and secret volumes (0644). */
const DEFAULT_MODE = 0o644;

function keysOf(object: KubeObject, secret: boolean): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(objectAt(object, 'data') ?? {}))
    if (typeof value === 'string')
      keys.set(key, secret ? Buffer.from(value, 'base64') : Buffer.from(value));
  for (const [key, value] of Object.entries(objectAt(object, 'binaryData') ?? {}))
    if (typeof value === 'string') keys.set(key, Buffer.from(value, 'base64'));
  return keys;
}

/** A relative path inside the volume, refused as the API server's validation would. */
function safePath(path: string): string {
  const normal = normalize(path);
  if (path === '' || normal.startsWith('..') || normal.startsWith('/'))
    throw new ContainerConfigError(`volume item path "${path}" must be relative, without ".."`);
  return normal;
}

/** Writes one configMap or secret volume's files into `dir`: its items, or all of its keys. */
interface VolumeSource {
  source: JsonObject;
  secret: boolean;
  dir: string;
  /** The pod's fsGroup: the files' group, as the kubelet sets it. */
  fsGroup: number | undefined;
}

function writeSource(api: KubeApi, namespace: string, volume: VolumeSource): void {
  const { source, secret, dir, fsGroup } = volume;
  const name = stringAt(source, secret ? 'secretName' : 'name') ?? '';
  const kind = secret ? 'secret' : 'configmap';
  const optional = booleanAt(source, 'optional') === true;
  const object = api.tryGet(secret ? SECRETS : CONFIG_MAPS, namespace, name);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (object === undefined) {
    if (optional) return;
    throw new ContainerConfigError(`MountVolume.SetUp failed: ${kind} "${name}" not found`);
  }
  const keys = keysOf(object, secret);
  const defaultMode = numberAt(source, 'defaultMode') ?? DEFAULT_MODE;
  const items = objectsAt(source, 'items');
  const wanted =
    items.length > 0
      ? items.map((item) => ({
          key: stringAt(item, 'key') ?? '',
          path: safePath(stringAt(item, 'path') ?? ''),
          mode: numberAt(item, 'mode') ?? defaultMode,
        }))
      : [...keys.keys()].map((key) => ({ key, path: key, mode: defaultMode }));
  for (const { key, path, mode } of wanted) {
    const content = keys.get(key);
    if (content === undefined) {
      if (optional) continue;
      throw new ContainerConfigError(
        `MountVolume.SetUp failed: ${kind} references non-existent ${secret ? 'secret' : 'config'} key: ${key}`,
      );
    }
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, content);
    chmodSync(file, mode);
    if (fsGroup !== undefined) chownSync(file, 0, fsGroup);
  }
}

/**
 * The pod's configMap and secret volumes, written as files under `root` (one directory per
 * volume, rewritten for each container start): volume name → directory, for read-only binds.
 */
export function writeVolumeFiles(api: KubeApi, pod: KubeObject, root: string): Map<string, string> {
  const namespace = pod.metadata.namespace ?? '';
  const dirs = new Map<string, string>();
  for (const volume of objectsAt(pod, 'spec', 'volumes')) {
    const name = stringAt(volume, 'name') ?? '';
    const configMap = objectAt(volume, 'configMap');
    const secret = objectAt(volume, 'secret');
    if (configMap === undefined && secret === undefined) continue;
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    writeSource(api, namespace, {
      source: secret ?? configMap ?? {},
      secret: secret !== undefined,
      dir,
      fsGroup: numberAt(pod, 'spec', 'securityContext', 'fsGroup'),
    });
    dirs.set(name, dir);
  }
  return dirs;
}
