import { ProgramFailed, runProgram } from '../../core/adapters/run-program.js';

const node = process.execPath;

describe('runProgram', () => {
  it('passes arguments as a list, so shell syntax stays literal text', async () => {
    const { stdout } = await runProgram({
      file: node,
      args: [
        '-e',
        'console.log(JSON.stringify(process.argv.slice(1)))',
        '$(touch /tmp/pwned); echo hi',
        '--flag',
      ],
    });
    expect(JSON.parse(stdout)).toEqual(['$(touch /tmp/pwned); echo hi', '--flag']);
  });

  it('streams stdout and stderr lines as they come', async () => {
    const lines: string[] = [];
    await runProgram({
      file: node,
      args: ['-e', 'console.log("one"); console.error("two"); console.log("three")'],
      onLine: (line) => lines.push(line),
    });
    expect(lines.sort()).toEqual(['one', 'three', 'two']);
  });

  it('rejects a non-zero exit with the output kept', async () => {
    const failure = await runProgram({
      file: node,
      args: ['-e', 'console.error("1 failing test"); process.exit(3)'],
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProgramFailed);
    expect(failure).toMatchObject({
      reason: 'exit-code',
      result: { exitCode: 3, stderr: '1 failing test' },
    });
  });

  it('never puts the command line in its message: an argument may be a URL or a secret', async () => {
    const failure = await runProgram({
      file: node,
      args: ['-e', 'process.exit(2)', 'https://someone:s3cret@git.example.com/acme/x.git'],
    }).catch((error: unknown) => error);
    expect((failure as Error).message).toBe(`${node} failed (exit code 2)`);
  });

  it('stops a program that runs past its timeout', async () => {
    const failure = await runProgram({
      file: node,
      args: ['-e', 'setTimeout(() => {}, 60_000)'],
      timeoutMs: 200,
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: 'timeout' });
  });

  it('stops a program when its signal aborts', async () => {
    const controller = new AbortController();
    const running = runProgram({
      file: node,
      args: ['-e', 'console.log("started"); setTimeout(() => {}, 60_000)'],
      signal: controller.signal,
      onLine: () => {
        controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ reason: 'cancelled' });
  });
});
