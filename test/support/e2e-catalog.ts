import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEPLOYERS_GROUP } from './bot-harness.js';
import { repoRoot } from './paths.js';
import { testEnv, uniqueName } from './test-env.js';

export const ALERTS_CHANNEL = { id: 'C0ALERTS', name: 'deploy-alerts' };
export const TINY_FIXTURE = join(repoRoot, 'test', 'fixtures', 'services', 'tiny');

export interface E2eCatalog {
  dir: string;
  catalogFile: string;
  namespace: string;
  /** Each service's own copy of the tiny fixture, to change between deploys. */
  sources: Record<string, string>;
}

export interface E2eCatalogOptions {
  /** More catalog services, as harbormaster.yaml has them (absolute paths). */
  catalogServices?: Record<string, object>;
  /** Who may deploy to the one environment, staging, as harbormaster.yaml says it. */
  deployers?: object;
  /** Helm values every tiny service gets in staging, e.g. `{ replicaCount: 1 }`. */
  values?: object;
  /** The catalog's `limits`, e.g. `{ deploysPerPersonPerMinute: 20 }`. */
  limits?: object;
}

/**
 * A catalog for an end-to-end test: one environment (a namespace of its own), the test registry,
 * and each named service a copy of the tiny fixture deployed with chart/hello-world.
 */
export function writeE2eCatalog(services: string[], options: E2eCatalogOptions = {}): E2eCatalog {
  const dir = mkdtempSync(join(tmpdir(), 'hm-e2e-'));
  const namespace = uniqueName('e2e');
  const sources: Record<string, string> = {};
  const valuesFile = join(dir, 'values-staging.yaml');
  if (options.values) writeFileSync(valuesFile, stringify(options.values));
  for (const service of services) {
    sources[service] = join(dir, service);
    cpSync(TINY_FIXTURE, sources[service], { recursive: true });
  }
  const catalog = {
    registry: { host: testEnv().registry.address, repositoryPrefix: namespace },
    environments: { staging: { namespace, deployers: options.deployers ?? { everyone: true } } },
    services: Object.fromEntries<object>([
      ...Object.entries(options.catalogServices ?? {}),
      ...services.map((service): [string, object] => [
        service,
        {
          source: { path: sources[service] },
          // Long enough for a test that holds a gate while another deploy runs.
          test: { command: ['node', 'test.js'], timeoutSeconds: 300 },
          buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
          chart: join(repoRoot, 'chart', 'hello-world'),
          ...(options.values ? { values: { staging: [valuesFile] } } : {}),
        },
      ]),
    ]),
    ...(options.limits ? { limits: options.limits } : {}),
    notifications: {
      failureChannel: ALERTS_CHANNEL.id,
      mention: { userGroups: [DEPLOYERS_GROUP.id] },
    },
  };
  const catalogFile = join(dir, 'harbormaster.yaml');
  writeFileSync(catalogFile, stringify(catalog));
  return { dir, catalogFile, namespace, sources };
}
