import { allManifestProblems, type Manifest } from '../support/k8s-schema.js';
import {
  chartValues,
  container,
  find,
  helmSandbox,
  HARBORMASTER_CHART,
  OPTION_FIXTURES,
  podSpec,
  RELEASE_NAMESPACE,
} from '../support/harbormaster-chart.js';

const helm = helmSandbox();

afterAll(() => {
  helm.remove();
});

function expectValid(manifests: Manifest[]): void {
  expect(allManifestProblems(manifests)).toEqual([]);
}

const kinds = (manifests: Manifest[]) => manifests.map((manifest) => manifest.kind).sort();

describe('chart/harbormaster', () => {
  it('passes helm lint --strict with its defaults and with every option fixture', async () => {
    for (const values of [[], ...OPTION_FIXTURES.map((name) => [chartValues(name)])]) {
      const result = await helm.run([
        'lint',
        '--strict',
        HARBORMASTER_CHART,
        ...values.flatMap((file) => ['--values', file]),
      ]);
      expect(result.all).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(result.exitCode).toBe(0);
    }
  });

  it('renders valid manifests with its defaults: bot, worker, their accounts and Roles, no Redis', async () => {
    const manifests = await helm.render();
    expectValid(manifests);
    expect(kinds(manifests)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Deployment',
      'PodDisruptionBudget',
      'PodDisruptionBudget',
      'Role',
      'Role',
      'RoleBinding',
      'RoleBinding',
      'Service',
      'ServiceAccount',
      'ServiceAccount',
    ]);
    // The example catalog deploys to "staging": the Roles are there, nowhere else.
    for (const manifest of manifests.filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding')) {
      expect(manifest.metadata.namespace).toBe('staging');
    }
  });

  it.each(OPTION_FIXTURES)('renders valid manifests with %s', async (fixture) => {
    expectValid(await helm.render({ valuesFiles: [chartValues(fixture)] }));
  });

  it('renders KEDA, the Ingress and the namespaces with every option on, and no Redis of its own', async () => {
    const manifests = await helm.render({ valuesFiles: [chartValues('harbormaster-all-on.yaml')] });
    expect(new Set(kinds(manifests))).toEqual(
      new Set([
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Ingress',
        'Namespace',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'ScaledObject',
        'Service',
        'ServiceAccount',
        'TriggerAuthentication',
      ]),
    );
    expect(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual([
      'hm-harbormaster-bot',
    ]);
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toEqual([
      'apps-production',
      'apps-staging',
    ]);
  });

  it('runs the bot and the worker as non-root with a read-only root file system and no capabilities', async () => {
    const manifests = await helm.render();
    for (const [deployment, name] of [
      ['hm-harbormaster-bot', 'bot'],
      ['hm-harbormaster-worker', 'worker'],
    ] as const) {
      const pod = podSpec(manifests, deployment);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container(pod, name).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.serviceAccountName).toBe(`hm-harbormaster-${name}`);
    }
  });

  it("probes /healthz and /readyz on each process's own port", async () => {
    const manifests = await helm.render();
    for (const [deployment, name, port] of [
      ['hm-harbormaster-bot', 'bot', 3000],
      ['hm-harbormaster-worker', 'worker', 3001],
    ] as const) {
      const main = container(podSpec(manifests, deployment), name);
      expect(main.ports).toEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
      expect(main.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: String(port) }]));
      expect(main.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(main.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    }
  });

  it('mounts the catalog read-only where HARBORMASTER_CONFIG points', async () => {
    const manifests = await helm.render();
    const worker = container(podSpec(manifests, 'hm-harbormaster-worker'), 'worker');
    expect(worker.volumeMounts).toEqual(
      expect.arrayContaining([
        {
          name: 'catalog',
          mountPath: '/app/harbormaster.yaml',
          subPath: 'harbormaster.yaml',
          readOnly: true,
        },
      ]),
    );
    expect(worker.env).toEqual(
      expect.arrayContaining([{ name: 'HARBORMASTER_CONFIG', value: '/app/harbormaster.yaml' }]),
    );
    const configMap = find(manifests, 'ConfigMap', 'hm-harbormaster-catalog');
    expect(Object.keys(configMap.data as Record<string, string>)).toEqual(['harbormaster.yaml']);
  });

  it('exposes only /slack/events through the Ingress in HTTP mode', async () => {
    const manifests = await helm.render({ valuesFiles: [chartValues('harbormaster-all-on.yaml')] });
    expect(find(manifests, 'Ingress').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['harbormaster.example.test'], secretName: 'harbormaster-tls' }],
      rules: [
        {
          host: 'harbormaster.example.test',
          http: {
            paths: [
              {
                path: '/slack/events',
                pathType: 'Exact',
                backend: { service: { name: 'hm-harbormaster-bot', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('keeps the replica count to KEDA or the HPA when either scales the workers', async () => {
    for (const fixture of ['harbormaster-all-on.yaml', 'harbormaster-host-socket.yaml']) {
      const manifests = await helm.render({ valuesFiles: [chartValues(fixture)] });
      const worker = find(manifests, 'Deployment', 'hm-harbormaster-worker').spec ?? {};
      expect(worker.replicas).toBeUndefined();
    }
    const hpa = find(
      await helm.render({ valuesFiles: [chartValues('harbormaster-host-socket.yaml')] }),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hm-harbormaster-worker' },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [
        {
          type: 'External',
          external: {
            metric: {
              name: 'harbormaster_queue_waiting',
              selector: { matchLabels: { queue: 'harbormaster-deploys' } },
            },
            target: { type: 'AverageValue', averageValue: '2' },
          },
        },
      ],
    });
  });

  describe('NOTES.txt', () => {
    async function notes(args: string[]): Promise<string> {
      const result = await helm.run([
        'install',
        'hm',
        HARBORMASTER_CHART,
        '--dry-run=client',
        '--namespace',
        RELEASE_NAMESPACE,
        ...args,
      ]);
      if (result.exitCode !== 0) throw new Error(`helm install --dry-run failed:\n${result.all}`);
      const start = result.stdout.indexOf('NOTES:\n');
      expect(start).toBeGreaterThanOrEqual(0);
      return result.stdout.slice(start);
    }

    it('tells how to create the Secret, check the pods and deploy, in Socket Mode', async () => {
      const text = await notes([]);
      expect(text).toContain(
        'kubectl --namespace harbormaster create secret generic hm-harbormaster \\\n' +
          '    --from-literal=SLACK_BOT_TOKEN=xoxb-... \\\n' +
          '    --from-literal=SLACK_APP_TOKEN=xapp-... \\\n' +
          '    --from-literal=HARBORMASTER_JOB_KEY="$(openssl rand -hex 32)" \\\n' +
          '    --from-literal=REDIS_URL=rediss://:PASSWORD@redis.example.com:6379\n',
      );
      expect(text).toContain(
        'kubectl --namespace harbormaster get pods -l app.kubernetes.io/instance=hm',
      );
      expect(text).toContain('The bot uses Socket Mode');
      expect(text).toContain('In Slack, type `/deploy list`, then `/deploy <service>`');
      expect(text).toContain('the namespace(s) staging');
      expect(text).toContain('NOTE: this is the example catalog');
      expect(text).toContain('which runs privileged');
    });

    it('gives the request URL in HTTP mode and warns loudly about the host socket', async () => {
      const http = await notes(['--values', chartValues('harbormaster-all-on.yaml')]);
      expect(http).toContain('https://harbormaster.example.test/slack/events');
      expect(http).toContain('--from-literal=SLACK_SIGNING_SECRET=...');
      expect(http).not.toContain('REDIS_URL');
      expect(http).toContain('--from-literal=REDIS_PASSWORD=...');
      expect(http).toContain('Workers scale with KEDA on bull:deploys:wait');
      const hostSocket = await notes(['--values', chartValues('harbormaster-host-socket.yaml')]);
      expect(hostSocket).toContain(
        "WARNING: the worker builds with the node's Docker socket (/var/run/docker.sock).\n" +
          'Whoever can reach that socket is root on the node',
      );
      expect(hostSocket).toContain('--from-literal=REDIS_PASSWORD=...');
    });
  });
});
