import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HelmCli } from '../../core/adapters/helm-cli.js';
import { isDeployError } from '../../core/domain/deploy-error.js';
import { repoRoot } from '../support/paths.js';
import { testEnv } from '../support/test-env.js';

const charts = join(repoRoot, 'test', 'fixtures', 'charts');

describe('helm CLI adapter with the real helm binary', () => {
  const helm = new HelmCli({ bin: testEnv().helmBin });

  it('reports the helm version', async () => {
    expect(await helm.version()).toMatch(/^v4\.\d+\.\d+$/);
  });

  it('renders a chart with values files and string values, without a cluster', async () => {
    const output = await helm.template({
      release: 'demo',
      chartPath: join(charts, 'trivial'),
      namespace: 'staging',
      valuesFiles: [join(charts, 'trivial-values.yaml')],
      setStrings: { 'image.tag': '1.10,with-comma' },
    });
    const manifests = parseAllDocuments(output).map((document) => document.toJS() as unknown);
    expect(manifests).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'demo-settings', namespace: 'staging' },
        data: { greeting: 'bonjour', imageTag: '1.10,with-comma' },
      },
    ]);
  });

  it("turns a broken chart into HELM_FAILED with helm's own explanation", async () => {
    const failure = await helm
      .template({ release: 'demo', chartPath: join(charts, 'broken'), namespace: 'staging' })
      .catch((error: unknown) => error);
    expect(isDeployError(failure, 'HELM_FAILED')).toBe(true);
    expect((failure as Error).message).toMatch(
      /^helm template demo failed: Error: .*configmap\.yaml.*unexpected/s,
    );
  });

  it('says how to fix a missing helm binary', async () => {
    const missing = new HelmCli({ bin: join(repoRoot, 'no-such-helm') });
    await expect(missing.version()).rejects.toThrow(
      `helm was not found at "${join(repoRoot, 'no-such-helm')}"; install helm or set HELM_BIN to its path`,
    );
  });
});
