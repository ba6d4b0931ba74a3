import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

/** SIGTERM to a process that runs a program through execa: the program is let finish. */
describe('stopOnSignals', () => {
  it('lets a program started after it finish, then exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test', 'fixtures', 'processes', 'graceful-stop.ts')],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve) => {
      const ready = () => {
        if (output.includes('ready\n')) {
          child.stdout.off('data', ready);
          resolve();
        }
      };
      child.stdout.on('data', ready);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => {
        child.once('exit', (code, signal) => {
          resolve({ code, signal });
        });
      },
    );
    child.kill('SIGTERM');
    expect({ ...(await exited), output }).toEqual({
      code: 0,
      signal: null,
      output: 'ready\nprogram ended: exit 0, signal undefined\n',
    });
  });
});
