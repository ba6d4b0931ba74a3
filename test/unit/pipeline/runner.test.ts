import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError } from '../../../core/domain/deploy-error.js';
import { SecretScrubber } from '../../../core/domain/secret-scrubber.js';
import type { StageName } from '../../../core/domain/stages.js';
import { LogBuffer } from '../../../core/pipeline/log-buffer.js';
import { runPipeline } from '../../../core/pipeline/runner.js';
import type {
  PipelineEvent,
  Stage,
  StageContext,
  StageOutputs,
} from '../../../core/pipeline/stage.js';
import { deployRequest, serviceConfig, STAGING } from '../../support/deploy-fixtures.js';

const context = {
  request: deployRequest(),
  service: serviceConfig(),
  environment: STAGING,
  registry: { host: '127.0.0.1:5000' },
  workDir: '/nonexistent',
  programEnv: {},
};

/** A stage that needs nothing and hands on `output`; its run says what it does. */
function stage<N extends StageName>(
  name: N,
  run: (context: StageContext) => Promise<StageOutputs[N] | string | undefined>,
  timeoutMs = 5000,
  output?: StageOutputs[N],
): { stage: Stage<N, never>; timeoutMs: number } {
  return {
    timeoutMs,
    stage: {
      name,
      needs: [],
      async run(ctx) {
        const summary = await run(ctx);
        return {
          output: output ?? ({} as StageOutputs[N]),
          ...(typeof summary === 'string' ? { summary } : {}),
        };
      },
    },
  };
}

async function run(
  stages: { stage: Stage; timeoutMs: number }[],
  signal = new AbortController().signal,
  secrets: string[] = [],
) {
  const events: PipelineEvent[] = [];
  const timeouts = Object.fromEntries(stages.map((s) => [s.stage.name, s.timeoutMs])) as Record<
    StageName,
    number
  >;
  // A stage made by `stage()` needs nothing: here it follows the one before it, as listed.
  const chained = stages.map(({ stage: each }, index) => {
    const before = stages[index - 1]?.stage.name;
    const needs = each.needs.length > 0 || before === undefined ? each.needs : [before];
    return { ...each, needs };
  });
  const result = await runPipeline({
    stages: chained,
    context,
    timeouts,
    signal,
    scrubber: new SecretScrubber(secrets),
    onEvent: (event) => events.push(event),
  });
  return { result, events: events.map((event) => `${event.type} ${event.stage}`) };
}

describe('runPipeline', () => {
  it('runs the stages in order, passing what they find on', async () => {
    const build: Stage<'build', 'source'> = {
      name: 'build',
      needs: ['source'],
      run: (_ctx, { source }) =>
        Promise.resolve({
          output: { repository: 'r', tag: source.commit },
          summary: `built ${source.commit}`,
        }),
    };
    const { result, events } = await run([
      stage('source', () => Promise.resolve('found abc123'), 5000, {
        dir: '/src',
        commit: 'abc123',
      }),
      { stage: build, timeoutMs: 5000 },
    ]);
    expect(result).toEqual({
      ok: true,
      outputs: {
        source: { dir: '/src', commit: 'abc123' },
        build: { repository: 'r', tag: 'abc123' },
      },
    });
    expect(events).toEqual([
      'stage-started source',
      'stage-finished source',
      'stage-started build',
      'stage-finished build',
    ]);
  });

  it('stops at the first failure, which keeps its code and the stage output', async () => {
    let reachedPush = false;
    const { result, events } = await run([
      stage('test', (ctx) => {
        ctx.log('1 failing: greeting');
        return Promise.reject(
          new DeployError('TEST_FAILED', 'the tests (npm test) exited with code 1'),
        );
      }),
      stage('push', () => {
        reachedPush = true;
        return Promise.resolve(undefined);
      }),
    ]);
    expect(reachedPush).toBe(false);
    expect(events).toEqual(['stage-started test', 'stage-failed test']);
    expect(result).toMatchObject({
      ok: false,
      stage: 'test',
      error: { code: 'TEST_FAILED', message: 'the tests (npm test) exited with code 1' },
      log: '1 failing: greeting',
    });
  });

  it("gives an unexpected error its stage's code", async () => {
    const { result } = await run([
      stage('build', () => Promise.reject(new Error('ENOSPC: no space left on device'))),
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BUILD_FAILED', message: 'ENOSPC: no space left on device' },
    });
  });

  it('ends a stage that runs past its time with TIMEOUT, and aborts its signal', async () => {
    let sawAbort = false;
    const { result } = await run([
      stage(
        'verify',
        async (ctx) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
          });
          await sleep(10_000, undefined, { signal: ctx.signal }).catch(() => undefined);
          return undefined;
        },
        100,
      ),
    ]);
    expect(result).toMatchObject({
      ok: false,
      stage: 'verify',
      error: { code: 'TIMEOUT', message: 'Rollout took longer than 100 ms' },
    });
    expect(sawAbort).toBe(true);
  });

  it('cancels the running stage when the deploy is cancelled', async () => {
    const controller = new AbortController();
    const running = run(
      [
        stage('build', async (ctx) => {
          controller.abort();
          await sleep(10_000, undefined, { signal: ctx.signal }).catch(() => undefined);
          return undefined;
        }),
      ],
      controller.signal,
    );
    expect((await running).result).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', message: 'the deploy was cancelled during Build image' },
    });
  });

  it('scrubs secrets from output, summaries and error messages', async () => {
    const password = 'registry-pass-6f1e2d';
    const { result } = await run(
      [
        stage('push', (ctx) => {
          ctx.log(`login with ${password}`);
          ctx.log(`Authorization: Basic ${Buffer.from(password).toString('base64')}`);
          return Promise.reject(new DeployError('PUSH_FAILED', `denied for ${password}`));
        }),
      ],
      undefined,
      [password],
    );
    expect(JSON.stringify(result)).not.toContain(password);
    expect(JSON.stringify(result)).not.toContain(Buffer.from(password).toString('base64'));
    expect(result).toMatchObject({
      log: 'login with [redacted]\nAuthorization: Basic [redacted]',
      error: { message: 'denied for [redacted]' },
    });
  });
});

describe('LogBuffer', () => {
  it('keeps the last lines within its bounds and says how many it dropped', () => {
    const buffer = new LogBuffer(3, 1000, 10);
    for (const line of ['one', 'two', 'three', 'four', 'a very long line indeed'])
      buffer.push(line);
    expect(buffer.text()).toBe('… 2 earlier lines not kept\nthree\nfour\na very lon…');
    expect(buffer.tail(1)).toBe('a very lon…');
  });
});
