import { HostProgramRunner } from '../../core/adapters/host-program-runner.js';

const node = process.execPath;
const runner = new HostProgramRunner();
const cwd = process.cwd();

describe('HostProgramRunner (the ProgramRunner port on the worker)', () => {
  it('answers an exit code, zero or not, as a result rather than a rejection', async () => {
    expect(await runner.run({ command: [node, '-e', 'console.log("hi")'], cwd, env: {} })).toEqual({
      kind: 'exited',
      exitCode: 0,
      stdout: 'hi',
    });
    expect(await runner.run({ command: [node, '-e', 'process.exit(3)'], cwd, env: {} })).toEqual({
      kind: 'exited',
      exitCode: 3,
      stdout: '',
    });
  });

  it('gives the program only the environment it is handed', async () => {
    const result = await runner.run({
      command: [node, '-e', 'console.log(Object.keys(process.env).sort().join(","))'],
      cwd,
      env: { ONLY: 'this' },
    });
    expect(result).toMatchObject({ kind: 'exited', exitCode: 0 });
    expect(result.kind === 'exited' ? result.stdout.split(',') : []).not.toContain('PATH');
  });

  it('says when the program does not exist, ran too long or was cancelled', async () => {
    expect(await runner.run({ command: ['harbormaster-no-such-program'], cwd, env: {} })).toEqual({
      kind: 'not-found',
    });
    expect(
      await runner.run({
        command: [node, '-e', 'setTimeout(() => {}, 60_000)'],
        cwd,
        env: {},
        timeoutMs: 200,
      }),
    ).toEqual({ kind: 'timed-out' });
    const controller = new AbortController();
    const lines: string[] = [];
    const cancelled = await runner.run({
      command: [node, '-e', 'console.log("started"); setTimeout(() => {}, 60_000)'],
      cwd,
      env: {},
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        controller.abort();
      },
    });
    expect(cancelled).toEqual({ kind: 'cancelled' });
    expect(lines).toEqual(['started']);
  });
});
