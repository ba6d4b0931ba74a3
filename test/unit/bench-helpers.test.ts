import { orchestrationEntries } from '../../bench/figures/orchestration.js';
import { HISTORY_MAX, nextRevisions } from '../../bench/instant-stages.js';
import { imageNodeOptions } from '../../bench/processes.js';
import { runningStatus, VIRTUAL_NODE, virtualPod } from '../../bench/virtual-pods.js';
import { sampleSum } from '../../test/support/prometheus-text.js';

describe('the orchestration figure', () => {
  const run = { startLoad: 1, rounds: 3, notes: 'test' };
  const round = (perSecond: number, busy = 0) => ({
    perSecond,
    unsuccessful: 0,
    busy,
    cpuMsPerDeploy: 1000 / perSecond,
  });

  it('gives each side’s median and the 2-worker median over the 1-worker one', () => {
    const entries = orchestrationEntries(
      { one: [round(100), round(300), round(200)], two: [round(350), round(380, 2), round(390)] },
      run,
    );
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(byName.orchestration_deploys_per_s?.value).toBe(200);
    expect(byName.orchestration_deploys_per_s?.samples?.value).toEqual([100, 300, 200]);
    expect(byName.orchestration_deploys_per_s_2_workers?.value).toBe(380);
    expect(byName.orchestration_cpu_ms_per_deploy?.value).toBe(5);
    expect(byName.orchestration_cpu_ms_per_deploy?.samples?.value).toEqual([10, 3.333, 5]);
    expect(byName.orchestration_scaling_2_workers?.value).toBe(1.9);
    expect(byName.orchestration_scaling_2_workers?.conditions.notes).toContain(
      '0 deploys did not succeed, 2 found their release busy',
    );
  });
});

describe('the instant helm', () => {
  it('keeps the newest revisions as helm’s --history-max does, only the latest deployed', () => {
    let revisions = nextRevisions([], 'Install complete');
    for (let i = 0; i < 14; i += 1) revisions = nextRevisions(revisions, 'Upgrade complete');
    expect(revisions.map((r) => r.revision)).toEqual(
      Array.from({ length: HISTORY_MAX }, (_, i) => 6 + i),
    );
    expect(revisions.filter((r) => r.status === 'deployed').map((r) => r.revision)).toEqual([15]);
    expect(revisions.at(-1)?.description).toBe('Upgrade complete');
  });
});

describe('summing Prometheus samples', () => {
  const text = [
    '# HELP harbormaster_deploys_total Deploys.',
    'harbormaster_deploys_total{service="a",result="succeeded"} 3',
    'harbormaster_deploys_total{service="b",result="succeeded"} 4',
    'harbormaster_deploys_total{service="b",result="failed"} 1',
    'harbormaster_deploys_total_other{result="succeeded"} 100',
  ].join('\n');

  it('adds every sample carrying the labels asked for, and nothing of another metric', () => {
    expect(sampleSum(text, 'harbormaster_deploys_total', { result: 'succeeded' })).toBe(7);
    expect(sampleSum(text, 'harbormaster_deploys_total')).toBe(8);
    expect(sampleSum(text, 'harbormaster_release_busy_total')).toBe(0);
  });
});

describe('the virtual pods of the status figure', () => {
  it('are the release’s pods (by its instance label), bound to a node that is not the double’s', () => {
    const pod = virtualPod('hello-world', 7, 'registry/hello-world:1');
    expect(pod).toMatchObject({
      metadata: {
        name: 'hello-world-virtual-00007',
        labels: { 'app.kubernetes.io/instance': 'hello-world' },
      },
      spec: {
        nodeName: VIRTUAL_NODE,
        containers: [{ name: 'hello-world', image: 'registry/hello-world:1' }],
      },
    });
    expect(VIRTUAL_NODE).not.toMatch(/^double-node-/);
    expect(virtualPod('hello-world', 8, 'x').metadata).not.toEqual(pod.metadata);
  });

  it('are Running and Ready, their one container running without restarts', () => {
    const status = runningStatus('hello-world', 'img', '2026-12-05T04:00:00Z');
    expect(status).toMatchObject({
      phase: 'Running',
      containerStatuses: [
        { name: 'hello-world', ready: true, restartCount: 0, state: { running: {} } },
      ],
    });
    expect(status.conditions).toContainEqual({ type: 'Ready', status: 'True' });
  });
});

describe("the shipped processes' NODE_OPTIONS", () => {
  it("are the image's, read from the Dockerfile", () => {
    expect(imageNodeOptions()).toMatch(/--max-old-space-size=\d+/);
    expect(imageNodeOptions('FROM node\nENV NODE_OPTIONS="--max-semi-space-size=4"\n')).toBe(
      '--max-semi-space-size=4',
    );
  });

  it('are missed loudly when the Dockerfile sets none', () => {
    expect(() => imageNodeOptions('FROM node\nENV NODE_ENV=production\n')).toThrow(
      'the Dockerfile sets no ENV NODE_OPTIONS',
    );
  });
});
