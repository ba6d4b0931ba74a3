/**
 * Where and how a service's tests run: always in a throwaway container (the sandbox), never on the
 * worker. The container comes from the service's own Dockerfile (a stage such as `test`), or from
 * an image the catalog names with the source copied in.
 */

/** What the tests' container is made from. */
export type TestImageSource =
  /** A stage of the service's Dockerfile, built like the service itself: it holds the source and its dependencies. */
  | { kind: 'target'; target: string }
  /** An image with the tools the tests need; the source is copied to /workspace, then `install` runs. */
  | { kind: 'image'; image: string };

/** The sandbox's limits. */
export interface SandboxLimits {
  memoryBytes: number;
  /** CPUs, fractions allowed. */
  cpus: number;
  /** Processes and threads at once. */
  pids: number;
  /** The size of /tmp, the only writable place (the rest of the file system is read-only). */
  tmpBytes: number;
}

/** Where the source is, and the working directory, in an image the catalog names. */
export const SANDBOX_WORKSPACE = '/workspace';

/** The sandbox's user: nobody, not root, whatever the image says. */
export const SANDBOX_USER = '65534:65534';

export interface TestGateConfig {
  runsIn: TestImageSource;
  /** With an image: run while building the test image (so with the build's network), e.g. [npm, ci]. */
  install?: string[];
  command: string[];
  /** The whole gate: the test image's build and the tests. */
  timeoutMs: number;
  /** `none`: no network for the tests, nor for their image's build. */
  network: 'default' | 'none';
  /** The tests' environment, besides CI=true and HOME=/tmp: nothing of the worker's. */
  env: Record<string, string>;
  limits: SandboxLimits;
}

export const MIB = 1024 * 1024;
