import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import tar from 'tar-fs';
import { requireBinary } from './system-binaries.js';

/** The Dockerfiles' default BASE_IMAGE; the local import is tagged with it so builds need no pull. */
export const DOCKERFILE_DEFAULT_BASE = 'node:24-slim';
export const LOCAL_NODE_BASE = `harbormaster-test/node-base:${process.version}`;

const NPM_DIR = '/usr/lib/node_modules/npm';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function sharedLibraries(binary: string): string[] {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...output.matchAll(/(\/\S+\.so[.\d]*)/g)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
}

function copyInto(root: string, hostPath: string, imagePath = hostPath): void {
  mkdirSync(dirname(join(root, imagePath)), { recursive: true });
  cpSync(hostPath, join(root, imagePath), { recursive: true, dereference: true });
}

/** Lays out a minimal root file system: the host's node, its libraries, npm, and busybox as /bin/sh. */
function stageRootFs(): string {
  const root = mkdtempSync(join(tmpdir(), 'hm-node-base-'));
  const node = process.execPath;
  const busybox = requireBinary('busybox', 'busybox-static');
  copyInto(root, node, '/usr/local/bin/node');
  for (const library of sharedLibraries(node)) copyInto(root, library);
  copyInto(root, NPM_DIR);
  copyInto(root, CA_BUNDLE);
  symlinkSync(`${NPM_DIR}/bin/npm-cli.js`, join(root, 'usr/local/bin/npm'));
  symlinkSync(`${NPM_DIR}/bin/npx-cli.js`, join(root, 'usr/local/bin/npx'));

  copyInto(root, busybox, '/bin/busybox');
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  for (const applet of applets) {
    if (applet === 'busybox') continue;
    const inUsrBin = applet === 'env';
    symlinkSync('/bin/busybox', join(root, inUsrBin ? 'usr/bin' : 'bin', applet));
  }

  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
  );
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
  for (const dir of ['tmp', 'root', 'home/node', 'app'])
    mkdirSync(join(root, dir), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  execFileSync('chown', ['1000:1000', join(root, 'home/node')]);
  return root;
}

async function hasImage(docker: Docker, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * A runnable Node base image made with `docker import`, never pulled. Tagged both with an honest
 * local name and with the Dockerfiles' default BASE_IMAGE.
 */
export async function ensureNodeBaseImage(docker: Docker): Promise<string> {
  if (!(await hasImage(docker, LOCAL_NODE_BASE))) {
    const root = stageRootFs();
    try {
      const [repo, tag] = LOCAL_NODE_BASE.split(':') as [string, string];
      // tar-fs's Pack is a readable stream; its types predate NodeJS.ReadableStream's full shape.
      const context = tar.pack(root) as unknown as NodeJS.ReadableStream;
      const stream: NodeJS.ReadableStream = await docker.importImage(context, {
        repo,
        tag,
        changes: [
          'ENV PATH=/usr/local/bin:/usr/bin:/bin',
          `ENV NPM_CONFIG_CAFILE=${CA_BUNDLE}`,
          'ENV NPM_CONFIG_UPDATE_NOTIFIER=false',
          'CMD ["node"]',
        ],
      });
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (error: Error | null) => {
          if (error) reject(error);
          else resolve();
        });
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  const [repo, tag] = DOCKERFILE_DEFAULT_BASE.split(':') as [string, string];
  await docker.getImage(LOCAL_NODE_BASE).tag({ repo, tag });
  return LOCAL_NODE_BASE;
}
