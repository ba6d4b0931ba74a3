import { eventually } from '../support/eventually.js';
import { sampleValue, scrape } from '../support/prometheus-text.js';
import { startDeployHarness, type DeployHarness } from '../support/deploy-harness.js';
import {
  spawnWorkerProcess,
  stopWorkerProcess,
  type WorkerProcess,
} from '../support/worker-process.js';
import { expectNoUnhandled, finalMessage, sendDeploy } from './deploy-helpers.js';

const SERVICES = ['left', 'right'];
const DEPLOYS_PER_SERVICE = 10;

/** The job ids of the deploys a worker process logged as ended, once per end. */
function endedBy(worker: WorkerProcess): string[] {
  return worker.logs
    .filter((line) => line.msg === 'deploy succeeded' || line.msg === 'deploy failed')
    .map((line) => String(line.jobId));
}

/**
 * Scale-out: two worker processes (`npm run worker`) on one Redis take 20 deploys from Slack
 * between them: each deploy runs once, on one of them, and none is lost.
 */
describe('two worker processes on one Redis', () => {
  let harness: DeployHarness;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    harness = await startDeployHarness(SERVICES, {
      inProcessWorker: false,
      // Ten deploys of each release may wait at once: more than the default 3.
      limits: { queuedDeploysPerRelease: 10 },
    });
    // A job lock longer than any pause of a busy machine, so that no deploy is taken again
    // because its worker was slow to renew it: a second run here would be a defect.
    for (let i = 0; i < 2; i += 1) {
      workers.push(await spawnWorkerProcess(harness.env, { lockDurationMs: 30_000 }));
    }
  });
  afterAll(async () => {
    for (const worker of workers) await stopWorkerProcess(worker);
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it('share 20 deploys: each runs exactly once, none is lost', async () => {
    const jobIds: string[] = [];
    for (let round = 1; round <= DEPLOYS_PER_SERVICE; round += 1) {
      // A directory has no refs: each round is asked for by a person of its own, as one
      // person's second ask while the first is queued would be "already queued".
      const person = { id: `U0ROUND${String(round)}`, name: `round${String(round)}` };
      harness.slack.addUser(person);
      for (const service of SERVICES) {
        const jobId = await sendDeploy(harness, service, person);
        jobIds.push(jobId);
        // Slack takes about one message a second in a channel: each command waits for its
        // queued message, as people typing them would, so that none outlasts its job's hold.
        await eventually(
          `${jobId} is announced`,
          async () => {
            const job = await harness.job(jobId);
            return job?.data.origin.message !== undefined;
          },
          30_000,
        );
      }
    }
    expect(new Set(jobIds).size).toBe(20);

    for (const jobId of jobIds) {
      const { message, state } = await finalMessage(harness, jobId, 600_000);
      expect({ jobId, state }).toEqual({ jobId, state: 'completed' });
      expect(message.rendered.split('\n')[0]).toMatch(/^:white_check_mark: Deployed /);
      // A deploy taken up again after its worker lost it would say so.
      expect(message.rendered).not.toContain('Resumed after a worker restart');
    }

    const [first = [], second = []] = workers.map(endedBy);
    // Each worker ran some of them, and between them every deploy ended exactly once.
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect([...first, ...second].sort()).toEqual([...jobIds].sort());
    expect(await harness.jobs()).toHaveLength(20);
    // Each process counts its own deploys: 20 between them.
    const counted = await Promise.all(
      workers.map(async (worker) => {
        const text = await scrape(worker.port);
        return SERVICES.reduce(
          (sum, service) =>
            sum +
            (sampleValue(text, 'harbormaster_deploys_total', {
              service,
              environment: 'staging',
              result: 'succeeded',
            }) ?? 0),
          0,
        );
      }),
    );
    expect(counted).toEqual([first.length, second.length]);
  }, 900_000);
});
