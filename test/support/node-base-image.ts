import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type Docker from 'dockerode';
import tar from 'tar-fs';
import { requireBinary } from './system-binaries.js';

/** The Dockerfiles' default BASE_IMAGE; the local import is tagged with it so builds need no pull. */
export const DOCKERFILE_DEFAULT_BASE = 'node:24-slim';
/** Bumped whenever the layout changes, so that an engine's cached import is not reused. */
const LAYOUT = 2;
export const LOCAL_NODE_BASE = `harbormaster-test/node-base:${process.version}-${LAYOUT}`;
export const LOCAL_NODE_GIT_BASE = `harbormaster-test/node-git-base:${process.version}-${LAYOUT}`;

const NPM_DIR = '/usr/lib/node_modules/npm';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function sharedLibraries(binary: string): string[] {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...output.matchAll(/(\/\S+\.so[.\d]*)/g)].flatMap((match) =>
    match[1] ? [match[1]] : [],
  );
}

function copyInto(
  root: string,
  hostPath: string,
  imagePath = hostPath,
  { dereference } = { dereference: true },
): void {
  mkdirSync(dirname(join(root, imagePath)), { recursive: true });
  cpSync(hostPath, join(root, imagePath), {
    recursive: true,
    ...(dereference ? { dereference } : { verbatimSymlinks: true }),
  });
}

/** The host's git, its helpers (git-core) and every library they load. */
function stageGit(root: string): void {
  const git = requireBinary('git', 'git');
  const helpers = execFileSync(git, ['--exec-path'], { encoding: 'utf8' }).trim();
  copyInto(root, git, '/usr/bin/git');
  // Most of git-core is symbolic links to git itself: kept as links, not 150 copies.
  copyInto(root, helpers, helpers, { dereference: false });
  copyInto(root, '/usr/share/git-core/templates');
  const binaries = [git, join(helpers, 'git-remote-http')];
  for (const library of new Set(binaries.flatMap(sharedLibraries))) copyInto(root, library);
}

/**
 * Lays out a minimal root file system: the host's node, its libraries, npm, and busybox as /bin/sh;
 * with `git`, the host's git as well.
 */
function stageRootFs(options: { git: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'hm-node-base-'));
  const node = process.execPath;
  const busybox = requireBinary('busybox', 'busybox-static');
  copyInto(root, node, '/usr/local/bin/node');
  const libraries = sharedLibraries(node);
  for (const library of libraries) copyInto(root, library);
  // glibc's split-off libraries, which node does not load but native addons do (unrs-resolver,
  // under jest, needs librt): a real node image has them all.
  const libc = libraries.find((library) => basename(library) === 'libc.so.6');
  for (const name of ['librt.so.1', 'libpthread.so.0', 'libdl.so.2', 'libm.so.6']) {
    const library = libc === undefined ? undefined : join(dirname(libc), name);
    if (library !== undefined && existsSync(library)) copyInto(root, library);
  }
  copyInto(root, NPM_DIR);
  copyInto(root, CA_BUNDLE);
  symlinkSync(`${NPM_DIR}/bin/npm-cli.js`, join(root, 'usr/local/bin/npm'));
  symlinkSync(`${NPM_DIR}/bin/npx-cli.js`, join(root, 'usr/local/bin/npx'));

  if (options.git) stageGit(root);
  copyInto(root, busybox, '/bin/busybox');
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  for (const applet of applets) {
    if (applet === 'busybox' || existsSync(join(root, 'bin', applet))) continue;
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

async function importRootFs(docker: Docker, reference: string, root: string): Promise<void> {
  const [repo, tag] = reference.split(':') as [string, string];
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
}

async function ensureImported(
  docker: Docker,
  reference: string,
  options: { git: boolean },
): Promise<void> {
  if (await hasImage(docker, reference)) return;
  const root = stageRootFs(options);
  try {
    await importRootFs(docker, reference, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A runnable Node base image made with `docker import`, never pulled. Tagged both with an honest
 * local name and with the Dockerfiles' default BASE_IMAGE.
 */
export async function ensureNodeBaseImage(docker: Docker): Promise<string> {
  await ensureImported(docker, LOCAL_NODE_BASE, { git: false });
  const [repo, tag] = DOCKERFILE_DEFAULT_BASE.split(':') as [string, string];
  await docker.getImage(LOCAL_NODE_BASE).tag({ repo, tag });
  return LOCAL_NODE_BASE;
}

/**
 * The same base with the host's git: it stands in for the official node image after the
 * Harbormaster Dockerfile's `apt-get install git`, which cannot run here (no apt in the import).
 */
export async function ensureNodeGitBaseImage(docker: Docker): Promise<string> {
  await ensureImported(docker, LOCAL_NODE_GIT_BASE, { git: true });
  return LOCAL_NODE_GIT_BASE;
}
