import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts a helper process that prints "ready" once it serves, and exits when its stdin closes
 * (forwarder.mjs, gateway-relay.mjs): resolves once it is ready, rejects with its output if it
 * exits first.
 */
export function startReadyProcess(command: string, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ready\n')) {
        child.stdout.off('data', collect);
        child.stdout.resume();
        child.stderr.resume();
        resolve(child);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`${args.join(' ')} exited (${String(code)}): ${output.trim()}`));
    });
  });
}

/** Stops a helper started by startReadyProcess. */
export function stopReadyProcess(child: ChildProcess | undefined): void {
  child?.stdin?.end();
  child?.kill('SIGKILL');
}
