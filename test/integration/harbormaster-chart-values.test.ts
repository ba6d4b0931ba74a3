import { chartValues, helmSandbox } from '../support/harbormaster-chart.js';
import { manifestProblems, type Manifest } from '../support/k8s-schema.js';

/** Wrong values stop helm with a message that names them; the validator catches a broken object. */

const helm = helmSandbox();

afterAll(() => {
  helm.remove();
});

const SCHEMA_FAILED =
  "values don't meet the specifications of the schema(s) in the following chart(s):";

describe('chart/harbormaster refuses wrong values', () => {
  it.each([
    ['slack.mode=webhook', "at '/slack/mode'", "value must be one of 'socket', 'http'"],
    ['worker.build.backend=docker-socket', "at '/worker/build/backend'", 'value must be one of'],
    ['worker.concurrency=0', "at '/worker/concurrency'", 'minimum: got 0, want 1'],
    ['bot.port=70000', "at '/bot/port'", 'maximum: got 70,000, want 65,535'],
    ['rbac.namespaces[0]=Apps_Prod', "at '/rbac/namespaces/0'", 'does not match pattern'],
    ['worker.build.external.host=builder:2376', "at '/worker/build/external/host'", ''],
    ['queue.name=a:b', "at '/queue/name'", 'does not match pattern'],
    ['logLevel=verbose', "at '/logLevel'", 'value must be one of'],
    [
      'worker.terminationGracePeriodSeconds=30',
      "at '/worker/terminationGracePeriodSeconds'",
      'minimum',
    ],
  ])('%s', async (setting, where, why) => {
    const stderr = await helm.refusal({ set: [setting] });
    expect(stderr).toContain(SCHEMA_FAILED);
    expect(stderr).toContain(where);
    expect(stderr).toContain(why);
  });

  it('refuses a misspelt top-level key and names it', async () => {
    const stderr = await helm.refusal({ set: ['existingSecrets=harbormaster'] });
    expect(stderr).toContain(SCHEMA_FAILED);
    expect(stderr).toMatch(/additional properties 'existingSecrets' not allowed/);
  });

  it('refuses redis.enabled: the chart installs no Redis of its own', async () => {
    const stderr = await helm.refusal({ set: ['redis.enabled=true'] });
    expect(stderr).toMatch(/additional properties 'redis' not allowed/);
  });

  it('refuses replicaCount: "two" with a type error', async () => {
    const stderr = await helm.refusal({ setJson: ['worker={"replicaCount":"two"}'] });
    expect(stderr).toContain("at '/worker/replicaCount': got string, want integer");
  });

  it.each([
    [
      'an Ingress in Socket Mode',
      ['bot.ingress.enabled=true'],
      'bot.ingress.enabled needs slack.mode: http',
    ],
    [
      'KEDA without a Redis address',
      ['worker.autoscaling.keda.enabled=true'],
      'worker.autoscaling.keda.redis.address is empty and REDIS_URL comes whole from the Secret',
    ],
    [
      'KEDA and the HPA together',
      [
        'worker.autoscaling.keda.enabled=true',
        'worker.autoscaling.hpa.enabled=true',
        'externalRedis.host=r',
      ],
      'choose one',
    ],
    [
      'KEDA on a Cluster without a hash tag',
      [
        'worker.autoscaling.keda.enabled=true',
        'worker.autoscaling.keda.redis.type=redis-cluster',
        'worker.autoscaling.keda.redis.address=r-0:6379\\,r-1:6379',
      ],
      'queue.prefix has no hash tag',
    ],
    [
      'a single-server URL for a Cluster',
      [
        'worker.autoscaling.keda.enabled=true',
        'worker.autoscaling.keda.redis.type=redis-cluster',
        'queue.prefix=\\{hm\\}',
        'externalRedis.host=r-0',
      ],
      'externalRedis.host builds a single-server URL',
    ],
    [
      'an external builder without an address',
      ['worker.build.backend=external'],
      'worker.build.external.host is empty',
    ],
    [
      'a ConfigMap catalog without rbac.namespaces',
      ['existingConfigMap=my-catalog'],
      'rbac.namespaces is empty: with existingConfigMap',
    ],
    [
      'a catalog namespace without a Role',
      ['rbac.namespaces[0]=production'],
      'catalog.environments.staging.namespace "staging" is not in rbac.namespaces ["production"]',
    ],
    [
      'a kube context, which does not exist in-cluster',
      [
        'catalog.registry.host=r',
        'catalog.environments.qa.namespace=qa',
        'catalog.environments.qa.kubeContext=prod',
        'catalog.environments.qa.deployers.everyone=true',
      ],
      'catalog.environments.qa.kubeContext is "prod"',
    ],
    [
      'more KEDA minimum than maximum',
      ['worker.autoscaling.keda.minReplicaCount=5', 'worker.autoscaling.keda.maxReplicaCount=2'],
      'minReplicaCount is greater than maxReplicaCount',
    ],
  ])('refuses %s, saying what to change', async (_what, set, message) => {
    const stderr = await helm.refusal({ set });
    expect(stderr).toContain(message);
  });
});

describe('the KEDA manifests are checked against the CRDs', () => {
  it('refuses a trigger value that is not a string, and an unknown field, as the API server would', async () => {
    const manifests = await helm.render({ valuesFiles: [chartValues('harbormaster-all-on.yaml')] });
    const scaledObject = manifests.find((m) => m.kind === 'ScaledObject') as Manifest & {
      spec: { triggers: { metadata: Record<string, unknown> }[]; minReplicaCount: unknown };
    };
    expect(manifestProblems(scaledObject)).toEqual([]);
    const broken = structuredClone(scaledObject);
    const trigger = broken.spec.triggers[0];
    if (!trigger) throw new Error('no trigger');
    trigger.metadata.listLength = 2;
    broken.spec.minReplicaCount = 'one';
    (broken.spec as Record<string, unknown>).maxReplicas = 3;
    expect(manifestProblems(broken).sort()).toEqual([
      '/spec/maxReplicas: unknown field "maxReplicas"',
      '/spec/minReplicaCount: got string, want integer',
      '/spec/triggers/0/metadata/listLength: got integer, want string',
    ]);
  });
});
