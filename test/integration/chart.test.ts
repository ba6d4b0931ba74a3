import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { offlineHelmEnv } from '../support/harbormaster-chart.js';
import { manifestProblems, parseManifests, type Manifest } from '../support/k8s-schema.js';
import { repoRoot } from '../support/paths.js';
import { testEnv } from '../support/test-env.js';

const chartDir = join(repoRoot, 'chart', 'hello-world');
const fixture = (name: string): string => join(repoRoot, 'test', 'fixtures', 'chart-values', name);
const RELEASE = 'demo';

// helm gets its own home and a kubeconfig that does not exist: nothing here may reach a cluster.
const helmHome = mkdtempSync(join(tmpdir(), 'hm-chart-test-'));
const helmEnv = offlineHelmEnv(helmHome);

afterAll(() => {
  rmSync(helmHome, { recursive: true, force: true });
});

async function helm(args: string[]) {
  return execa(testEnv().helmBin, args, { env: helmEnv, reject: false, all: true });
}

async function render(valuesFiles: string[] = []): Promise<Manifest[]> {
  const result = await helm([
    'template',
    RELEASE,
    chartDir,
    '--namespace',
    'apps',
    ...valuesFiles.flatMap((file) => ['--values', file]),
  ]);
  if (result.exitCode !== 0) throw new Error(`helm template failed:\n${result.all}`);
  return parseManifests(result.stdout);
}

function only(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found).toHaveLength(1);
  const manifest = found.at(0);
  if (!manifest) throw new Error(`no ${kind} rendered`);
  return manifest;
}

/** Every rendered object must be one the Kubernetes API server accepts. */
function expectValid(manifests: Manifest[]): void {
  const problems = manifests.flatMap((manifest) =>
    manifestProblems(manifest).map((problem) => `${manifest.kind} ${problem}`),
  );
  expect(problems).toEqual([]);
}

interface Container {
  name: string;
  image: string;
  env: { name: string; value: string }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
}

interface DeploymentShape {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: { containers: Container[]; securityContext: Record<string, unknown> };
  };
}

function deploymentSpec(manifests: Manifest[]): DeploymentShape {
  return only(manifests, 'Deployment').spec as unknown as DeploymentShape;
}

function container(manifests: Manifest[]): Container {
  const first = deploymentSpec(manifests).template.spec.containers.at(0);
  if (!first) throw new Error('the Deployment has no container');
  return first;
}

describe('chart/hello-world', () => {
  it('passes helm lint --strict with its defaults and with the staging values', async () => {
    const defaults = await helm(['lint', '--strict', chartDir]);
    expect(defaults.all).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(defaults.exitCode).toBe(0);

    const staging = await helm([
      'lint',
      '--strict',
      chartDir,
      '--values',
      join(chartDir, 'values-staging.yaml'),
    ]);
    expect(staging.all).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(staging.exitCode).toBe(0);
  });

  it('renders the seed defaults: 2 replicas behind a NodePort Service on port 5000, no Ingress', async () => {
    const manifests = await render();
    expectValid(manifests);
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual(['Deployment', 'Service']);

    const deployment = deploymentSpec(manifests);
    expect(deployment.replicas).toBe(2);

    const service = only(manifests, 'Service');
    expect(service.metadata.name).toBe('demo-hello-world');
    expect(service.spec).toMatchObject({
      type: 'NodePort',
      ports: [{ port: 5000, targetPort: 'http', protocol: 'TCP', name: 'http' }],
      selector: { 'app.kubernetes.io/name': 'hello-world', 'app.kubernetes.io/instance': RELEASE },
    });

    const main = container(manifests);
    expect(main.image).toBe('localhost:5000/hello-world:1.0.0');
    expect(main.ports).toEqual([{ name: 'http', containerPort: 5000, protocol: 'TCP' }]);
    expect(main.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: '5000' }]));
    expect(main.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(main.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  });

  it('labels every object for Harbormaster and selects pods by name and instance only', async () => {
    const manifests = await render();
    for (const manifest of manifests) {
      expect(manifest.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'hello-world',
        'app.kubernetes.io/instance': RELEASE,
        'app.kubernetes.io/version': '1.0.0',
        'app.kubernetes.io/managed-by': 'Helm',
      });
    }
    const deployment = deploymentSpec(manifests);
    const selector = {
      'app.kubernetes.io/name': 'hello-world',
      'app.kubernetes.io/instance': RELEASE,
    };
    expect(deployment.selector.matchLabels).toEqual(selector);
    // The worker and /status find pods with app.kubernetes.io/instance=<release>.
    expect(deployment.template.metadata.labels).toMatchObject(selector);
  });

  it('runs the pods as the non-root node user with a locked-down container', async () => {
    const manifests = await render();
    expect(deploymentSpec(manifests).template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
    });
    expect(container(manifests).securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('renders a LoadBalancer Service', async () => {
    const manifests = await render([fixture('loadbalancer.yaml')]);
    expectValid(manifests);
    expect(only(manifests, 'Service').spec).toMatchObject({
      type: 'LoadBalancer',
      ports: [{ port: 8080, targetPort: 'http' }],
    });
    expect(container(manifests).env).toEqual(
      expect.arrayContaining([{ name: 'PORT', value: '8080' }]),
    );
  });

  it('renders the Ingress named gateway-ingress, routed to the Service, when enabled', async () => {
    const manifests = await render([fixture('ingress.yaml')]);
    expectValid(manifests);
    const ingress = only(manifests, 'Ingress');
    expect(ingress.metadata.name).toBe('gateway-ingress');
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '1m',
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['hello.example.test'], secretName: 'hello-example-tls' }],
      rules: [
        {
          host: 'hello.example.test',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'demo-hello-world', port: { number: 5000 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('renders replicaCount: 5', async () => {
    const manifests = await render([fixture('replicas-5.yaml')]);
    expectValid(manifests);
    expect(deploymentSpec(manifests).replicas).toBe(5);
  });

  it('renders the optional ServiceAccount and HorizontalPodAutoscaler', async () => {
    const manifests = await render([fixture('service-account-and-autoscaling.yaml')]);
    expectValid(manifests);
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Service',
      'ServiceAccount',
    ]);
    expect(only(manifests, 'ServiceAccount').metadata.name).toBe('demo-hello-world');
    const deployment = deploymentSpec(manifests) as Partial<DeploymentShape> & {
      template: { spec: { serviceAccountName?: string } };
    };
    // The autoscaler owns the replica count.
    expect(deployment.replicas).toBeUndefined();
    expect(deployment.template.spec.serviceAccountName).toBe('demo-hello-world');
    expect(only(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo-hello-world' },
      minReplicas: 2,
      maxReplicas: 6,
    });
  });

  it('makes a build-metadata image tag into a valid version label', async () => {
    const manifests = await render([fixture('build-metadata-tag.yaml')]);
    expectValid(manifests);
    expect(container(manifests).image).toBe('localhost:5000/hello-world:1.2.0+build.7');
    expect(only(manifests, 'Service').metadata.labels).toMatchObject({
      'app.kubernetes.io/version': '1.2.0_build.7',
    });
  });

  it('renders the staging values file the catalog names', async () => {
    const manifests = await render([join(chartDir, 'values-staging.yaml')]);
    expectValid(manifests);
    expect(deploymentSpec(manifests).replicas).toBe(2);
    expect(only(manifests, 'Service').spec).toMatchObject({ type: 'NodePort' });
    expect(container(manifests).env).toEqual(
      expect.arrayContaining([{ name: 'LOG_LEVEL', value: 'debug' }]),
    );
  });

  it('refuses replicaCount: "two" with the schema message', async () => {
    const result = await helm([
      'template',
      RELEASE,
      chartDir,
      '--values',
      fixture('replicas-two.yaml'),
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      "values don't meet the specifications of the schema(s) in the following chart(s):",
    );
    expect(result.stderr).toContain("at '/replicaCount': got string, want integer");
    expect(result.stdout).toBe('');
  });

  it("refuses the seed chart's flat values and names them", async () => {
    const result = await helm([
      'template',
      RELEASE,
      chartDir,
      '--values',
      fixture('seed-flat.yaml'),
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/additional properties .*'replicas'.* not allowed/);
    expect(result.stderr).toMatch(/additional properties .*'servicetype'.* not allowed/);
    expect(result.stderr).toContain("at '/image': got string, want object");
  });

  describe('NOTES.txt tells a person how to reach the service', () => {
    async function notes(args: string[]): Promise<string> {
      const result = await helm([
        'install',
        RELEASE,
        chartDir,
        '--dry-run=client',
        '--namespace',
        'apps',
        ...args,
      ]);
      if (result.exitCode !== 0) throw new Error(`helm install --dry-run failed:\n${result.all}`);
      const start = result.stdout.indexOf('NOTES:\n');
      expect(start).toBeGreaterThanOrEqual(0);
      return result.stdout.slice(start);
    }

    it('through a NodePort', async () => {
      const text = await notes([]);
      expect(text).toContain(
        'export NODE_PORT=$(kubectl get --namespace apps -o jsonpath="{.spec.ports[0].nodePort}" services demo-hello-world)',
      );
      expect(text).toContain('curl http://$NODE_IP:$NODE_PORT/');
      expect(text).toContain(
        'kubectl get pods --namespace apps -l app.kubernetes.io/instance=demo',
      );
    });

    it('through a LoadBalancer', async () => {
      const text = await notes(['--values', fixture('loadbalancer.yaml')]);
      expect(text).toContain('It may take a few minutes for the LoadBalancer address');
      expect(text).toContain('curl http://$SERVICE_IP:8080/');
    });

    it('through the Ingress', async () => {
      const text = await notes(['--values', fixture('ingress.yaml')]);
      expect(text).toContain('Through the Ingress gateway-ingress:\n  https://hello.example.test/');
    });

    it('inside the cluster, or by port-forward, for ClusterIP', async () => {
      const text = await notes(['--set', 'service.type=ClusterIP']);
      expect(text).toContain('http://demo-hello-world.apps.svc:5000/');
      expect(text).toContain(
        'kubectl --namespace apps port-forward service/demo-hello-world 8080:5000',
      );
    });
  });
});

describe('the manifest validator', () => {
  it('refuses what the API server would refuse, so a chart mistake cannot pass', async () => {
    const manifests = await render();
    const service = only(manifests, 'Service');
    const deployment = only(manifests, 'Deployment');
    const broken = structuredClone(deployment) as Manifest & { spec: DeploymentShape };
    const brokenContainer = broken.spec.template.spec.containers[0] as unknown as Record<
      string,
      unknown
    >;
    (broken.spec as unknown as Record<string, unknown>).replicas = '5';
    brokenContainer.livenesProbe = brokenContainer.livenessProbe; // a misspelt field
    broken.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'someone-else';
    broken.metadata.labels = { 'app.kubernetes.io/version': 'v1+build' };

    const problems = manifestProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('data/spec/replicas must be integer'),
        '/spec/template/spec/containers/0/livenesProbe: unknown field "livenesProbe" (not in V1Container)',
        '/spec/selector: selector does not match template labels (app.kubernetes.io/instance=someone-else)',
        '/metadata/labels/app.kubernetes.io/version: invalid label value "v1+build"',
      ]),
    );
    expect(manifestProblems({ ...service, metadata: { name: 'Demo_Service' } })).toEqual([
      '/metadata/name: "Demo_Service" is not a DNS-1035 label',
    ]);
  });
});
