import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { SANDBOX_USER } from '../domain/test-gate.js';
import type {
  ProgramRequest,
  ProgramResult,
  ProgramRunner,
  SandboxRequest,
} from '../ports/program-runner.js';
import { LineSplitter } from './line-splitter.js';

export interface ContainerRunnerOptions {
  docker: Docker;
  /**
   * Docker's network mode for a sandbox that has network (`host` where the engine has no bridge
   * network, as in the tests); Docker's default when absent. A sandbox asking for none gets `none`.
   */
  networkMode?: string;
}

/** A line longer than this is cut: the deploy's log wants lines, not a megabyte without a newline. */
const MAX_LINE_CHARS = 4000;

/** Marks the sandboxes, so that an operator (or a test) can list what is running. */
export const SANDBOX_LABEL = 'dev.harbormaster.sandbox';

/** After the program exits, how long its last output may take to arrive. */
const OUTPUT_DRAIN_MS = 5000;

type Ending = 'timed-out' | 'cancelled';

const [SANDBOX_UID, SANDBOX_GID] = SANDBOX_USER.split(':');
const TMP_OWNER = `uid=${SANDBOX_UID ?? ''},gid=${SANDBOX_GID ?? ''}`;

/**
 * The container's whole configuration: what the program gets, and everything it does not (no
 * mounts, no socket, no capabilities, no root, none of the worker's environment).
 */
function containerSpec(
  request: ProgramRequest,
  sandbox: SandboxRequest,
  networkMode: string | undefined,
): Docker.ContainerCreateOptions {
  const { limits } = sandbox;
  const network = sandbox.network === 'none' ? 'none' : networkMode;
  return {
    Image: sandbox.image,
    // The command as given, never through the image's entrypoint.
    Entrypoint: [''],
    Cmd: [...request.command],
    ...(request.cwd === undefined ? {} : { WorkingDir: request.cwd }),
    User: SANDBOX_USER,
    Env: Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
    Labels: { [SANDBOX_LABEL]: 'test' },
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    HostConfig: {
      // docker-init as PID 1: it reaps what the tests leave behind; when the tests end, it ends,
      // and the kernel kills everything else in the container's PID namespace.
      Init: true,
      ReadonlyRootfs: true,
      // Owned by the sandbox's user: the mount takes its mode from the image's /tmp otherwise.
      Tmpfs: { '/tmp': `rw,nosuid,nodev,exec,size=${limits.tmpBytes},mode=1777,${TMP_OWNER}` },
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      IpcMode: 'private',
      ...(network === undefined ? {} : { NetworkMode: network }),
      // Output is streamed to the deploy's log as it comes; the daemon keeps none of it on disk.
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}

/** A writable that hands each line of what it is given on, bounded (LineSplitter). */
function lineSink(onLine: ((line: string) => void) | undefined) {
  const splitter = new LineSplitter(MAX_LINE_CHARS, (line, cut) => {
    onLine?.(cut ? `${line}…` : line);
  });
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      splitter.write(chunk);
      done();
    },
  });
  return {
    stream,
    end: () => {
      splitter.end();
    },
  };
}

/**
 * Follows the container's output, stdout and stderr, line by line; `ended` settles when it ends.
 * (Wrapped in an object: an async function's returned promise would be awaited with it.)
 */
async function follow(
  docker: Docker,
  container: Docker.Container,
  onLine: ((line: string) => void) | undefined,
): Promise<{ ended: Promise<void> }> {
  const attached = await container.attach({ stream: true, stdout: true, stderr: true });
  const stdout = lineSink(onLine);
  const stderr = lineSink(onLine);
  docker.modem.demuxStream(attached, stdout.stream, stderr.stream);
  const ended = new Promise<void>((resolve) => {
    const done = () => {
      stdout.end();
      stderr.end();
      resolve();
    };
    attached.on('end', done);
    attached.on('close', done);
    attached.on('error', done);
  });
  return { ended };
}

/** Resolves when the run must be stopped: its time is up, or it is cancelled. */
function stopWhen(request: ProgramRequest): { stopped: Promise<Ending>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<Ending>((resolve) => {
    if (request.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        resolve('timed-out');
      }, request.timeoutMs);
    }
    if (request.signal?.aborted) resolve('cancelled');
    onAbort = () => {
      resolve('cancelled');
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const clear = () => {
    clearTimeout(timer);
    if (onAbort) request.signal?.removeEventListener('abort', onAbort);
  };
  return { stopped, clear };
}

/**
 * Runs each program in a throwaway container of the image the request names: non-root, read-only
 * but for a size-limited /tmp, with memory, CPU and process limits, no capabilities, no mounts,
 * and only the environment given. The container, and everything the program started in it, is
 * removed when the run ends: on exit, on timeout, on cancel, on any error.
 */
export class ContainerProgramRunner implements ProgramRunner {
  constructor(private readonly options: ContainerRunnerOptions) {}

  async run(request: ProgramRequest): Promise<ProgramResult> {
    const { sandbox } = request;
    if (!sandbox) throw new Error('the container runner runs sandboxed programs only');
    if (request.signal?.aborted) return { kind: 'cancelled' };
    const { docker, networkMode } = this.options;
    const container = await docker.createContainer(containerSpec(request, sandbox, networkMode));
    try {
      return await this.runIn(container, request);
    } finally {
      await container.remove({ force: true, v: true });
    }
  }

  private async runIn(
    container: Docker.Container,
    request: ProgramRequest,
  ): Promise<ProgramResult> {
    const output = await follow(this.options.docker, container, request.onLine);
    const { stopped, clear } = stopWhen(request);
    try {
      await container.start();
      const exited = container.wait() as Promise<{ StatusCode: number }>;
      // Once the container is killed and removed, its wait may fail: nobody waits for it then.
      exited.catch(() => undefined);
      const ending = await Promise.race([exited, stopped]);
      if (typeof ending === 'string') {
        await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
        return { kind: ending };
      }
      await Promise.race([output.ended, sleep(OUTPUT_DRAIN_MS, undefined, { ref: false })]);
      const state = (await container.inspect()).State;
      if (state.OOMKilled && ending.StatusCode !== 0) return { kind: 'out-of-memory' };
      return { kind: 'exited', exitCode: ending.StatusCode, stdout: '' };
    } finally {
      clear();
    }
  }
}
