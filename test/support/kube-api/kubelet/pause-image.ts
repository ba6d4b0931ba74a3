import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import tar from 'tar-fs';

export const PAUSE_IMAGE = 'kube-api-double/pause:busybox';
/** What the pause container runs: it only holds the pod's network namespace open. */
export const PAUSE_COMMAND = ['/busybox', 'sleep', '2147483647'];
const BUSYBOX = '/bin/busybox';

/** Imports the pod sandbox image (busybox-static alone, nothing pulled) unless the engine has it. */
export async function ensurePauseImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(PAUSE_IMAGE).inspect();
    return;
  } catch {
    // not there yet
  }
  const root = mkdtempSync(join(tmpdir(), 'kube-double-pause-'));
  try {
    copyFileSync(BUSYBOX, join(root, 'busybox'));
    const [repo, tag] = PAUSE_IMAGE.split(':');
    // tar-fs's Pack is a readable stream; its types predate NodeJS.ReadableStream's full shape.
    const archive = tar.pack(root) as unknown as NodeJS.ReadableStream;
    const stream = await docker.importImage(archive, { repo, tag });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => {
        if (error === null) resolve();
        else reject(error);
      });
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
