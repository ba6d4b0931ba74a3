/**
 * The sandboxed test gate's added time per deploy, against the host-run gate it replaced, side by
 * side on one machine: `DOCKER_HOST=unix:///… BASE_IMAGE=harbormaster-test/node-base:… npx tsx
 * bench/test-gate-overhead.ts [runs]`. Prints figures; asserts nothing.
 *
 * host:    what the gate did before: `npm ci` then `npm test` (hello-world), `node test.js` (tiny),
 *          as child processes of the worker, in a fresh copy of the source.
 * sandbox: what it does now: build the test image (Docker's cache warm, as on a worker that has
 *          deployed the service before), run the tests in a throwaway container, remove both.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ContainerProgramRunner } from '../core/adapters/container-program-runner.js';
import { dockerFromHost } from '../core/adapters/docker-client.js';
import { DockerodeImageBuilder } from '../core/adapters/dockerode-image-builder.js';
import { MIB } from '../core/domain/test-gate.js';

const dockerHost = process.env.DOCKER_HOST;
const baseImage = process.env.BASE_IMAGE ?? 'node:24-slim';
const runs = Number(process.argv[2] ?? '3');
const repo = join(import.meta.dirname, '..');
const limits = { memoryBytes: 2048 * MIB, cpus: 1, pids: 512, tmpBytes: 512 * MIB };

interface Subject {
  name: string;
  dir: string;
  host: string[][];
  command: [string, ...string[]];
  dockerfile?: string;
}

const subjects: Subject[] = [
  {
    name: 'tiny',
    dir: join(repo, 'test', 'fixtures', 'services', 'tiny'),
    host: [['node', 'test.js']],
    command: ['node', 'test.js'],
  },
  {
    name: 'hello-world',
    dir: join(repo, 'service'),
    host: [
      ['npm', 'ci', '--no-audit', '--no-fund'],
      ['npm', 'test'],
    ],
    command: ['npm', 'test'],
  },
];

function freshCopy(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'hm-bench-'));
  cpSync(dir, copy, { recursive: true, filter: (path) => !path.includes('node_modules') });
  return copy;
}

async function hostGate(subject: Subject): Promise<number> {
  const copy = freshCopy(subject.dir);
  const started = performance.now();
  for (const [file, ...args] of subject.host) {
    await execa(file ?? 'false', args, { cwd: copy, env: { CI: 'true' } });
  }
  const took = performance.now() - started;
  rmSync(copy, { recursive: true, force: true });
  return took;
}

async function sandboxGate(subject: Subject, run: number): Promise<number> {
  const docker = dockerFromHost(dockerHost);
  const builder = new DockerodeImageBuilder(docker);
  const runner = new ContainerProgramRunner({ docker });
  const copy = freshCopy(subject.dir);
  const tag = `harbormaster-bench/${subject.name}:${String(run)}`;
  const started = performance.now();
  await builder.build({
    contextDir: copy,
    dockerfile: 'Dockerfile',
    target: 'test',
    tags: [tag],
    buildArgs: { BASE_IMAGE: baseImage },
    networkMode: 'host',
  });
  const result = await runner.run({
    command: subject.command,
    env: { CI: 'true', HOME: '/tmp' },
    sandbox: { image: tag, network: 'default', limits },
  });
  await builder.remove(tag);
  const took = performance.now() - started;
  rmSync(copy, { recursive: true, force: true });
  if (result.kind !== 'exited' || result.exitCode !== 0) throw new Error(JSON.stringify(result));
  return took;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

for (const subject of subjects) {
  const host: number[] = [];
  const sandbox: number[] = [];
  // One untimed sandbox run first: the test image's layers cached, as on a worker that deployed before.
  await sandboxGate(subject, 0);
  for (let run = 1; run <= runs; run += 1) {
    host.push(await hostGate(subject));
    sandbox.push(await sandboxGate(subject, run));
  }
  const h = median(host) / 1000;
  const s = median(sandbox) / 1000;
  console.log(
    `${subject.name}: host ${h.toFixed(2)} s, sandbox ${s.toFixed(2)} s, added ${(s - h).toFixed(2)} s (median of ${String(runs)})`,
  );
}
