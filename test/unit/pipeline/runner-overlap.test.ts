import { DeployError } from '../../../core/domain/deploy-error.js';
import { SecretScrubber } from '../../../core/domain/secret-scrubber.js';
import { DEFAULT_STAGE_TIMEOUTS } from '../../../core/domain/stages.js';
import { runPipeline } from '../../../core/pipeline/runner.js';
import type { PipelineEvent, Stage, StageContext } from '../../../core/pipeline/stage.js';
import { deployRequest, serviceConfig, STAGING } from '../../support/deploy-fixtures.js';

const context = {
  request: deployRequest(),
  service: serviceConfig(),
  environment: STAGING,
  registry: { host: '127.0.0.1:5000' },
  workDir: '/nonexistent',
  programEnv: {},
};

/** A promise and the function that settles it, to let stages end when a test says. */
function gate<T = void>() {
  let open: (value: T) => void = () => undefined;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Ends when its signal aborts, with the reason. */
function untilAborted(ctx: StageContext): Promise<never> {
  return new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => {
      reject(ctx.signal.reason as Error);
    });
  });
}

const source: Stage<'source', never> = {
  name: 'source',
  needs: [],
  run: () => Promise.resolve({ output: { dir: '/src', commit: 'abc123' } }),
};

function deployOf(ran: string[]): Stage<'deploy', 'test' | 'build' | 'push'> {
  return {
    name: 'deploy',
    needs: ['test', 'build', 'push'],
    run: () => {
      ran.push('deploy');
      return Promise.resolve({ output: { revision: 1 } });
    },
  };
}

async function run(stages: Stage[], signal = new AbortController().signal) {
  const events: PipelineEvent[] = [];
  const result = await runPipeline({
    stages,
    context,
    timeouts: DEFAULT_STAGE_TIMEOUTS,
    signal,
    scrubber: new SecretScrubber([]),
    onEvent: (event) => events.push(event),
  });
  return { result, said: events.map((event) => `${event.type} ${event.stage}`) };
}

describe('runPipeline with stages that do not need each other', () => {
  it('runs the test gate alongside build and push; the helm upgrade waits for all three', async () => {
    const pushed = gate();
    const ran: string[] = [];
    const test: Stage<'test', 'source'> = {
      name: 'test',
      needs: ['source'],
      // The gate ends only once the push has: so they surely overlapped.
      run: async () => {
        await pushed.opened;
        return { output: { passed: true } };
      },
    };
    const build: Stage<'build', 'source'> = {
      name: 'build',
      needs: ['source'],
      run: () => Promise.resolve({ output: { repository: 'r', tag: 't' } }),
    };
    const push: Stage<'push', 'build'> = {
      name: 'push',
      needs: ['build'],
      run: () => {
        pushed.open();
        return Promise.resolve({ output: { digest: 'sha256:1', reference: 'r:t' } });
      },
    };
    const { result, said } = await run([source, test, build, push, deployOf(ran)] as Stage[]);
    expect(result.ok).toBe(true);
    expect(said).toEqual([
      'stage-started source',
      'stage-finished source',
      'stage-started test',
      'stage-started build',
      'stage-finished build',
      'stage-started push',
      'stage-finished push',
      'stage-finished test',
      'stage-started deploy',
      'stage-finished deploy',
    ]);
  });

  it('a failed gate stops the build running alongside, discards a finished push, and never runs helm', async () => {
    const pushed = gate();
    const ran: string[] = [];
    const discarded: string[] = [];
    let buildStopped: unknown;
    const test: Stage<'test', 'source'> = {
      name: 'test',
      needs: ['source'],
      run: async (ctx) => {
        await pushed.opened;
        ctx.log('1 failing: greeting');
        throw new DeployError('TEST_FAILED', 'the tests exited with code 1');
      },
    };
    const build: Stage<'build', 'source'> = {
      name: 'build',
      needs: ['source'],
      run: () => Promise.resolve({ output: { repository: 'r', tag: 't' } }),
    };
    const push: Stage<'push', 'build'> = {
      name: 'push',
      needs: ['build'],
      run: () => {
        pushed.open();
        return Promise.resolve({ output: { digest: 'sha256:1', reference: 'r:t' } });
      },
      discard: (_ctx, output) => {
        discarded.push(output.reference);
        return Promise.resolve();
      },
    };
    const { result, said } = await run([source, test, build, push, deployOf(ran)] as Stage[]);
    expect(result).toMatchObject({
      ok: false,
      stage: 'test',
      error: { code: 'TEST_FAILED' },
      log: '1 failing: greeting',
    });
    expect(said.at(-1)).toBe('stage-failed test');
    expect(ran).toEqual([]);
    expect(discarded).toEqual(['r:t']);

    // A build still running when the gate fails is stopped, and told as stopped.
    const slowBuild: Stage<'build', 'source'> = {
      name: 'build',
      needs: ['source'],
      run: (ctx) => {
        pushed.open();
        return untilAborted(ctx).catch((error: unknown) => {
          buildStopped = error;
          throw error;
        });
      },
    };
    const second = await run([source, test, slowBuild, push, deployOf(ran)] as Stage[]);
    expect(second.result).toMatchObject({ ok: false, stage: 'test' });
    expect(second.said.slice(-2)).toEqual(['stage-failed test', 'stage-stopped build']);
    expect(buildStopped).toBeDefined();
    expect(ran).toEqual([]);
    expect(discarded).toEqual(['r:t']);
  });

  it('a cancel stops both branches', async () => {
    const controller = new AbortController();
    const stopped: string[] = [];
    const started: string[] = [];
    const bothStarted = gate();
    const waiting = <N extends 'test' | 'build'>(name: N): Stage<N, 'source'> => ({
      name,
      needs: ['source'],
      run: (ctx) => {
        started.push(name);
        if (started.length === 2) bothStarted.open();
        return untilAborted(ctx).catch((error: unknown) => {
          stopped.push(name);
          throw error;
        });
      },
    });
    const running = run([source, waiting('test'), waiting('build')] as Stage[], controller.signal);
    await bothStarted.opened;
    controller.abort();
    const { result, said } = await running;
    expect(result).toMatchObject({ ok: false, stage: 'test', error: { code: 'CANCELLED' } });
    expect(stopped.sort()).toEqual(['build', 'test']);
    expect(said.slice(-2)).toEqual(['stage-failed test', 'stage-stopped build']);
  });

  it('a cancel after the push discards the image, with a signal of its own', async () => {
    const controller = new AbortController();
    const discarded: string[] = [];
    const test: Stage<'test', 'source'> = {
      name: 'test',
      needs: ['source'],
      run: (ctx) => untilAborted(ctx),
    };
    const build: Stage<'build', 'source'> = {
      name: 'build',
      needs: ['source'],
      run: () => Promise.resolve({ output: { repository: 'r', tag: 't' } }),
    };
    const push: Stage<'push', 'build'> = {
      name: 'push',
      needs: ['build'],
      run: () => Promise.resolve({ output: { digest: 'sha256:1', reference: 'r:t' } }),
      discard: (ctx, output) => {
        discarded.push(`${output.reference} aborted=${String(ctx.signal.aborted)}`);
        return Promise.resolve();
      },
    };
    const running = run([source, test, build, push, deployOf([])] as Stage[], controller.signal);
    // Every stage but the gate settles on promises alone: by the next macrotask, only the gate runs.
    setImmediate(() => {
      controller.abort();
    });
    const { result, said } = await running;
    expect(said).toContain('stage-finished push');
    expect(result).toMatchObject({ ok: false, stage: 'test', error: { code: 'CANCELLED' } });
    expect(discarded).toEqual(['r:t aborted=false']);
  });

  it('skips a stage whose work is done: its output is handed on, never run, never discarded', async () => {
    const ran: string[] = [];
    const discarded: string[] = [];
    const test: Stage<'test', 'source'> = {
      name: 'test',
      needs: ['source'],
      skip: () => ({ output: { passed: true }, summary: 'passed before' }),
      run: () => {
        ran.push('test');
        return Promise.resolve({ output: { passed: true } });
      },
    };
    const push: Stage<'push', 'source'> = {
      name: 'push',
      needs: ['source'],
      skip: () => ({ output: { digest: 'sha256:1', reference: 'r:t' } }),
      run: () => {
        ran.push('push');
        return Promise.reject(new Error('never'));
      },
      discard: (_ctx, output) => {
        discarded.push(output.reference);
        return Promise.resolve();
      },
    };
    const failing: Stage<'verify', 'test' | 'push'> = {
      name: 'verify',
      needs: ['test', 'push'],
      run: () => Promise.reject(new DeployError('ROLLOUT_FAILED', 'crash loop')),
    };
    const { result, said } = await run([source, test, push, failing] as Stage[]);
    expect(ran).toEqual([]);
    expect(said).toEqual([
      'stage-started source',
      'stage-finished source',
      'stage-skipped test',
      'stage-skipped push',
      'stage-started verify',
      'stage-failed verify',
    ]);
    expect(result).toMatchObject({ ok: false, stage: 'verify' });
    expect(discarded).toEqual([]);
  });
});
