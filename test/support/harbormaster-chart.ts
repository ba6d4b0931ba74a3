import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseManifests, type Manifest } from './k8s-schema.js';
import { repoRoot } from './paths.js';
import { testEnv } from './test-env.js';

/**
 * chart/harbormaster through the real helm binary, offline: lint, template and install --dry-run
 * with a helm home of its own and a kubeconfig that does not exist, so nothing can reach a
 * cluster. An install into the Kubernetes double uses the same values files with `helm install`.
 */

export const HARBORMASTER_CHART = join(repoRoot, 'chart', 'harbormaster');
export const RELEASE = 'hm';
export const RELEASE_NAMESPACE = 'harbormaster';

export const chartValues = (name: string): string =>
  join(repoRoot, 'test', 'fixtures', 'chart-values', name);

/** The fixtures that turn options on: every one must lint and render valid manifests. */
export const OPTION_FIXTURES = [
  'harbormaster-all-on.yaml',
  'harbormaster-host-socket.yaml',
  'harbormaster-external-builder.yaml',
];

export interface HelmResult {
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved. */
  all: string;
}

export interface HelmSandbox {
  run(args: string[]): Promise<HelmResult>;
  /** Rendered manifests; throws with helm's output when it fails. */
  render(options?: RenderOptions): Promise<Manifest[]>;
  /** helm template's failure output; throws when it renders. */
  refusal(options: RenderOptions): Promise<string>;
  remove(): void;
}

export interface RenderOptions {
  valuesFiles?: string[];
  set?: string[];
  setJson?: string[];
}

function renderArgs(options: RenderOptions): string[] {
  return [
    'template',
    RELEASE,
    HARBORMASTER_CHART,
    '--namespace',
    RELEASE_NAMESPACE,
    ...(options.valuesFiles ?? []).flatMap((file) => ['--values', file]),
    ...(options.set ?? []).flatMap((value) => ['--set', value]),
    ...(options.setJson ?? []).flatMap((value) => ['--set-json', value]),
  ];
}

/** helm's own home under `home`, and a kubeconfig that does not exist: nothing can reach a cluster. */
export function offlineHelmEnv(home: string): Record<string, string> {
  return {
    KUBECONFIG: join(home, 'no-kubeconfig'),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
}

export function helmSandbox(): HelmSandbox {
  const home = mkdtempSync(join(tmpdir(), 'hm-harbormaster-chart-'));
  const env = offlineHelmEnv(home);
  const run = async (args: string[]): Promise<HelmResult> => {
    const result = await execa(testEnv().helmBin, args, { env, reject: false, all: true });
    const { exitCode, stdout, stderr, all } = result;
    return { exitCode, stdout, stderr, all };
  };
  return {
    run,
    async render(options = {}) {
      const result = await run(renderArgs(options));
      if (result.exitCode !== 0) throw new Error(`helm template failed:\n${result.all}`);
      return parseManifests(result.stdout);
    },
    async refusal(options) {
      const result = await run(renderArgs(options));
      if (result.exitCode === 0) throw new Error('helm template rendered values it should refuse');
      if (result.stdout !== '') throw new Error(`helm template printed manifests as it failed`);
      return result.stderr;
    },
    remove() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export function find(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter(
    (manifest) => manifest.kind === kind && (name === undefined || manifest.metadata.name === name),
  );
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  }
  return found[0] as Manifest;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  restartPolicy?: string;
  startupProbe?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}

export interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  initContainers?: ContainerSpec[];
  containers: ContainerSpec[];
  volumes: ({ name: string } & Record<string, unknown>)[];
  runtimeClassName?: string;
  terminationGracePeriodSeconds?: number;
}

export function podSpec(manifests: Manifest[], deployment: string): PodSpec {
  const spec = find(manifests, 'Deployment', deployment).spec as { template: { spec: PodSpec } };
  return spec.template.spec;
}

export function container(pod: PodSpec, name: string): ContainerSpec {
  const found = [...(pod.initContainers ?? []), ...pod.containers].find(
    (candidate) => candidate.name === name,
  );
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/**
 * A container's environment as the kubelet gives it: Secret keys looked up in `secrets`
 * (name → key → value), $(VAR) references to earlier variables expanded.
 */
export function resolveEnv(
  spec: ContainerSpec,
  secrets: Record<string, Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of spec.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets[ref.name]?.[ref.key];
      if (value === undefined && ref.optional !== true) {
        throw new Error(`${variable.name}: Secret ${ref.name} has no key ${ref.key}`);
      }
      if (value !== undefined) env[variable.name] = value;
      continue;
    }
    env[variable.name] = (variable.value ?? '').replace(
      /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (whole, name: string) => env[name] ?? whole,
    );
  }
  return env;
}
