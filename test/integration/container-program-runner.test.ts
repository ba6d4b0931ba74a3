import {
  ContainerProgramRunner,
  SANDBOX_LABEL,
} from '../../core/adapters/container-program-runner.js';
import { MIB } from '../../core/domain/test-gate.js';
import type { ProgramRequest } from '../../core/ports/program-runner.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { eventually } from '../support/eventually.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const limits = { memoryBytes: 128 * MIB, cpus: 1, pids: 64, tmpBytes: 16 * MIB };

describe('ContainerProgramRunner on the real Docker Engine', () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  const runner = new ContainerProgramRunner({ docker });

  function nodeRun(script: string, more: Partial<ProgramRequest> = {}): ProgramRequest {
    return {
      command: ['node', '-e', script],
      env: { CI: 'true' },
      sandbox: { image: testEnv().nodeBaseImage, network: 'none', limits },
      ...more,
    };
  }

  /** The sandboxes whose command holds `marker`, running or not. */
  async function sandboxesWith(marker: string) {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [SANDBOX_LABEL] },
    });
    return containers.filter((container) => container.Command.includes(marker));
  }

  it('is cancelled mid-run: the run ends as cancelled, and its container is gone', async () => {
    const marker = uniqueName('cancel-me');
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runner.run(
      nodeRun(`console.log('started'); setInterval(() => {}, 1000); // ${marker}`, {
        signal: controller.signal,
        onLine: (line) => {
          lines.push(line);
          if (line === 'started') controller.abort();
        },
      }),
    );
    expect(await running).toEqual({ kind: 'cancelled' });
    expect(lines).toEqual(['started']);
    expect(await sandboxesWith(marker)).toEqual([]);
  });

  it('hands on a line without end cut, not a megabyte of it', async () => {
    const lines: string[] = [];
    const result = await runner.run(
      nodeRun("process.stdout.write('y'.repeat(1024 * 1024) + '\\nlast\\n')", {
        onLine: (line) => lines.push(line),
      }),
    );
    expect(result).toEqual({ kind: 'exited', exitCode: 0, stdout: '' });
    expect(lines.map((line) => line.length)).toEqual([4001, 4]);
    expect(lines[1]).toBe('last');
  });

  it('gives the program nothing but its own environment, as nobody, on a read-only root', async () => {
    const lines: string[] = [];
    await runner.run(
      nodeRun(
        "const fs = require('fs'); console.log(process.getuid()); console.log(Object.keys(process.env).includes('CI')); try { fs.writeFileSync('/etc/x', 'x'); } catch (e) { console.log(e.code); } fs.writeFileSync('/tmp/x', 'x'); console.log('tmp ok');",
        { onLine: (line) => lines.push(line) },
      ),
    );
    expect(lines).toEqual(['65534', 'true', 'EROFS', 'tmp ok']);
  });

  it('refuses a request without a sandbox rather than run it on the worker', async () => {
    await expect(runner.run({ command: ['true'], env: {} })).rejects.toThrow(
      'the container runner runs sandboxed programs only',
    );
  });

  it('stops a program at its time limit and removes it', async () => {
    const marker = uniqueName('too-slow');
    const result = await runner.run(
      nodeRun(`setInterval(() => {}, 1000); // ${marker}`, { timeoutMs: 1500 }),
    );
    expect(result).toEqual({ kind: 'timed-out' });
    await eventually(
      'the sandbox is removed',
      async () => (await sandboxesWith(marker)).length === 0,
    );
  });
});
