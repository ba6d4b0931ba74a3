import { join } from 'node:path';
import type Docker from 'dockerode';
import {
  arrayAt,
  booleanAt,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
  type JsonObject,
  type JsonValue,
} from '../json.js';
import type { KubeObject } from '../objects.js';
import { ContainerConfigError, expand } from './env-vars.js';

const SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  m: 1e-3,
  '': 1,
};

/** A resource quantity ("128Mi", "500m", "1") as a number of bytes or cores. */
export function parseQuantity(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([0-9.]+(?:e[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(value);
  if (match === null) return undefined;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ''] ?? 1);
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

interface Security {
  user: string | undefined;
  hostConfig: Docker.HostConfig;
}

/** The pod's and the container's securityContext, merged as the kubelet does (the container's wins). */
function security(pod: KubeObject, container: JsonObject, imageUser: string): Security {
  const podContext = objectAt(pod, 'spec', 'securityContext') ?? {};
  const own = objectAt(container, 'securityContext') ?? {};
  const pick = (key: string): number | undefined => numberAt(own, key) ?? numberAt(podContext, key);
  const runAsUser = pick('runAsUser');
  const runAsGroup = pick('runAsGroup');
  const nonRoot = booleanAt(own, 'runAsNonRoot') ?? booleanAt(podContext, 'runAsNonRoot');
  if (nonRoot === true) {
    const effective = runAsUser ?? imageUser.split(':')[0] ?? '';
    if (typeof effective === 'string' && effective !== '' && !/^\d+$/.test(effective))
      throw new ContainerConfigError(
        `container has runAsNonRoot and image has non-numeric user (${effective}), cannot verify user is non-root`,
      );
    if (effective === '' || Number(effective) === 0)
      throw new ContainerConfigError('container has runAsNonRoot and image will run as root');
  }
  const capabilities = objectAt(own, 'capabilities') ?? {};
  const groups = [
    ...arrayAt(podContext, 'supplementalGroups'),
    ...(numberAt(podContext, 'fsGroup') === undefined ? [] : [numberAt(podContext, 'fsGroup')]),
  ].map(String);
  const hostConfig: Docker.HostConfig = {
    ReadonlyRootfs: booleanAt(own, 'readOnlyRootFilesystem') === true,
    CapDrop: strings(capabilities.drop),
    CapAdd: strings(capabilities.add),
    Privileged: booleanAt(own, 'privileged') === true,
    SecurityOpt: booleanAt(own, 'allowPrivilegeEscalation') === false ? ['no-new-privileges'] : [],
    GroupAdd: groups,
  };
  const user =
    runAsUser === undefined
      ? undefined
      : runAsGroup === undefined
        ? String(runAsUser)
        : `${runAsUser}:${runAsGroup}`;
  return { user, hostConfig };
}

interface Mounts {
  tmpfs: Record<string, string>;
  binds: string[];
}

/**
 * The container's volume mounts: emptyDir as tmpfs, configMap and secret volumes as read-only
 * binds of the files the kubelet wrote (`volumeDirs`), a subPath as one file or directory of
 * them. Any other kind of volume is a configuration the double cannot run.
 */
function mountsOf(
  pod: KubeObject,
  container: JsonObject,
  volumeDirs: ReadonlyMap<string, string>,
): Mounts {
  const volumes = new Map(
    objectsAt(pod, 'spec', 'volumes').map((volume) => [stringAt(volume, 'name'), volume]),
  );
  const mounts: Mounts = { tmpfs: {}, binds: [] };
  for (const mount of objectsAt(container, 'volumeMounts')) {
    const name = stringAt(mount, 'name') ?? '';
    const mountPath = stringAt(mount, 'mountPath') ?? '';
    const volume = volumes.get(name);
    if (volume === undefined) throw new ContainerConfigError(`volume "${name}" not found`);
    const dir = volumeDirs.get(name);
    if (dir !== undefined) {
      const subPath = stringAt(mount, 'subPath') ?? '';
      if (subPath.split('/').includes('..'))
        throw new ContainerConfigError(`subPath "${subPath}" must not contain ".."`);
      mounts.binds.push(`${subPath === '' ? dir : join(dir, subPath)}:${mountPath}:ro`);
    } else if (objectAt(volume, 'emptyDir') !== undefined) {
      mounts.tmpfs[mountPath] = 'rw,exec';
    } else {
      throw new ContainerConfigError(
        `volume "${name}": the kube-api double runs emptyDir, configMap and secret volumes only`,
      );
    }
  }
  return mounts;
}

export interface ContainerConfigInput {
  pod: KubeObject;
  container: JsonObject;
  name: string;
  imageId: string;
  imageUser: string;
  env: ReadonlyMap<string, string>;
  /** configMap and secret volumes, written by the kubelet: volume name → directory. */
  volumeDirs: ReadonlyMap<string, string>;
  sandboxId: string;
  labels: Record<string, string>;
}

/** The Docker create options for one of a pod's containers, in the pod's network namespace. */
export function containerConfig(input: ContainerConfigInput): Docker.ContainerCreateOptions {
  const { pod, container } = input;
  const command = strings(container.command).map((part) => expand(part, input.env));
  const args = strings(container.args).map((part) => expand(part, input.env));
  const { user, hostConfig } = security(pod, container, input.imageUser);
  const limits = objectAt(container, 'resources', 'limits') ?? {};
  const memory = parseQuantity(limits.memory);
  const cpu = parseQuantity(limits.cpu);
  const mounts = mountsOf(pod, container, input.volumeDirs);
  const options: Docker.ContainerCreateOptions = {
    name: input.name,
    Image: input.imageId,
    Env: [...input.env].map(([key, value]) => `${key}=${value}`),
    Labels: input.labels,
    HostConfig: {
      ...hostConfig,
      NetworkMode: `container:${input.sandboxId}`,
      Tmpfs: mounts.tmpfs,
      Binds: mounts.binds,
      ...(memory === undefined ? {} : { Memory: Math.round(memory) }),
      ...(cpu === undefined ? {} : { NanoCpus: Math.round(cpu * 1e9) }),
    },
  };
  // A command replaces the image's entrypoint and, without args, its CMD too.
  if (command.length > 0) {
    options.Entrypoint = command;
    options.Cmd = args;
  } else if (args.length > 0) {
    options.Cmd = args;
  }
  const workingDir = stringAt(container, 'workingDir');
  if (workingDir !== undefined) options.WorkingDir = workingDir;
  if (user !== undefined) options.User = user;
  return options;
}
