import type Docker from 'dockerode';
import { DockerodeImageBuilder } from '../../core/adapters/dockerode-image-builder.js';
import { ensureNodeGitBaseImage } from './node-base-image.js';
import { repoRoot } from './paths.js';

/** Harbormaster's own image as the test run builds it; `docker compose` names it harbormaster:local. */
export const HARBORMASTER_TEST_IMAGE = 'harbormaster-test/harbormaster:local';

/**
 * Builds the repository's Dockerfile, as `docker compose up --build` does, on the locally imported
 * Node base with the host's git (nothing is pulled; npm packages come from the npm registry).
 * Docker's layer cache, kept between runs, makes a rebuild of unchanged sources quick.
 */
export async function ensureHarbormasterImage(
  docker: Docker,
  onLog?: (line: string) => void,
): Promise<string> {
  const base = await ensureNodeGitBaseImage(docker);
  await new DockerodeImageBuilder(docker).build({
    contextDir: repoRoot,
    dockerfile: 'Dockerfile',
    tags: [HARBORMASTER_TEST_IMAGE],
    buildArgs: { BASE_IMAGE: base },
    // The test engine has no bridge network: the build's npm steps use the host's.
    networkMode: 'host',
    ...(onLog ? { onLog } : {}),
  });
  return HARBORMASTER_TEST_IMAGE;
}

/** Runs a command in a fresh container of `image` to its end: its exit code and its output. */
export async function runToEnd(
  docker: Docker,
  image: string,
  command: string[],
): Promise<{ exitCode: number; output: string }> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: command,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: StatusCode, output: demultiplex(logs) };
  } finally {
    await container.remove({ force: true });
  }
}

/** A container's log without a TTY comes framed: 8-byte headers, the last 4 the frame's length. */
export function demultiplex(framed: Buffer): string {
  const parts: string[] = [];
  for (let offset = 0; offset + 8 <= framed.length;) {
    const length = framed.readUInt32BE(offset + 4);
    parts.push(framed.subarray(offset + 8, offset + 8 + length).toString('utf8'));
    offset += 8 + length;
  }
  return parts.join('');
}
