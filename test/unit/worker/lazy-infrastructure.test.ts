import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger.js';
import { LazyInfrastructure } from '../../../worker/lazy-infrastructure.js';

function logged() {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  return { lines, logger };
}

describe('LazyInfrastructure', () => {
  it('knows the kubeconfig path alone until read, then the details read, reading them once', async () => {
    const paths: (string | undefined)[] = [];
    const details = { servers: ['https://api.corp.example:6443'], paths: ['/kube/config'] };
    const lazy = new LazyInfrastructure('/kube/config', logged().logger, (path) => {
      paths.push(path);
      return Promise.resolve(details);
    });
    expect(lazy.current()).toEqual({ servers: [], paths: ['/kube/config'] });
    expect(paths).toEqual([]);
    await Promise.all([lazy.ready(), lazy.ready()]);
    await lazy.ready();
    expect(lazy.current()).toEqual(details);
    expect(paths).toEqual(['/kube/config']);
  });

  it('keeps the path alone, and logs why, when the read fails', async () => {
    const { lines, logger } = logged();
    const lazy = new LazyInfrastructure(undefined, logger, () =>
      Promise.reject(new Error('no module')),
    );
    await lazy.ready();
    expect(lazy.current()).toEqual({ servers: [], paths: [] });
    expect(lines.join('')).toContain('could not read the kubeconfig for redaction');
  });

  it('reads the servers of a real kubeconfig file by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hm-kubeconfig-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: a, cluster: { server: "https://prod-api.corp.example:6443" } }]',
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: c, context: { cluster: a, user: u } }]',
        'current-context: c',
      ].join('\n'),
    );
    const lazy = new LazyInfrastructure(file, logged().logger);
    await lazy.ready();
    rmSync(dir, { recursive: true, force: true });
    expect(lazy.current()).toEqual({
      servers: ['https://prod-api.corp.example:6443'],
      paths: [file],
    });
  });
});
