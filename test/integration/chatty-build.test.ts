import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { dockerFromHost } from '../support/docker-engine.js';
import { testEnv, uniqueName } from '../support/test-env.js';

const MIB = 1024 * 1024;

/** This process's peak resident memory since the last reset, in bytes (Linux's VmHWM). */
function peakRss(): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/** Starts measuring the peak anew (proc(5), clear_refs: 5 resets the peak resident set size). */
function resetPeakRss(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}

/** A Dockerfile whose one step prints `mib` MiB: lines of a KiB, as fast as the step can. */
function chattyDockerfile(base: string, mib: number): string {
  const script = [
    "const line = 'x'.repeat(1023) + '\\n';",
    'const chunk = Buffer.from(line.repeat(1024));',
    'let written = 0;',
    `(function write() { while (written < ${mib}) { written++; if (!process.stdout.write(chunk)) return process.stdout.once('drain', write); } })();`,
  ].join(' ');
  return `FROM ${base}\nRUN ["node", "-e", ${JSON.stringify(script)}]\n`;
}

describe('a build step that prints without end', () => {
  const docker = dockerFromHost(testEnv().dockerHost);
  const builder = new DockerodeImageBuilder(docker);
  const dir = mkdtempSync(join(tmpdir(), 'hm-chatty-'));
  const tag = `${uniqueName('chatty')}:latest`;

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await builder.remove(tag);
  });

  it('leaves the worker with what it needs (the image id), not what was printed', async () => {
    const printed = 1024;
    writeFileSync(join(dir, 'Dockerfile'), chattyDockerfile(testEnv().nodeBaseImage, printed));
    let lines = 0;
    let longest = 0;
    resetPeakRss();
    const before = peakRss();
    const { imageId } = await builder.build({
      contextDir: dir,
      dockerfile: 'Dockerfile',
      tags: [tag],
      onLog: (line) => {
        lines += 1;
        longest = Math.max(longest, line.length);
      },
    });
    const grown = peakRss() - before;
    console.log(
      `a build step printed ${String(printed)} MiB in ${String(lines)} lines: the worker's peak ` +
        `RSS grew by ${(grown / MIB).toFixed(1)} MiB, to ${(peakRss() / MIB).toFixed(1)} MiB`,
    );
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lines).toBeGreaterThanOrEqual(printed * 1024);
    expect(longest).toBeLessThanOrEqual(4001);
    // Everything printed went through this process: had it been kept, the peak would have grown
    // by more than the GiB printed (JSON-wrapped, as UTF-16 strings, several times that). The
    // peak also holds garbage V8 has not collected yet, which varies with the machine's load
    // (12 MiB on a quiet run, 165 MiB on a busy one), so the bound sits between the two.
    expect(grown).toBeLessThan(512 * MIB);
  }, 600_000);
});
