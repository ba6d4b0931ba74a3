import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextDigest } from '../../core/adapters/docker-build-context.js';

describe('contextDigest: a digest of what a build sends', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hm-digest-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'src', 'app.js'), 'console.log(1);\n');
    writeFileSync(join(dir, '.dockerignore'), '*.log\nsecrets/\n');
    writeFileSync(join(dir, 'debug.log'), 'one\n');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the same for the same context, and changes with any file the build sends', () => {
    const first = contextDigest(dir, 'Dockerfile');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(contextDigest(dir, 'Dockerfile')).toBe(first);
    writeFileSync(join(dir, 'src', 'app.js'), 'console.log(2);\n');
    const changed = contextDigest(dir, 'Dockerfile');
    expect(changed).not.toBe(first);
    writeFileSync(join(dir, 'src', 'new.js'), '');
    expect(contextDigest(dir, 'Dockerfile')).not.toBe(changed);
  });

  it('changes when a file becomes executable, or is renamed with the same content', () => {
    const first = contextDigest(dir, 'Dockerfile');
    chmodSync(join(dir, 'src', 'app.js'), 0o755);
    const executable = contextDigest(dir, 'Dockerfile');
    expect(executable).not.toBe(first);
    rmSync(join(dir, 'src', 'app.js'));
    writeFileSync(join(dir, 'src', 'main.js'), 'console.log(1);\n');
    expect(contextDigest(dir, 'Dockerfile')).not.toBe(first);
  });

  it('ignores what .dockerignore keeps out of the build, but never the Dockerfile', () => {
    const first = contextDigest(dir, 'Dockerfile');
    writeFileSync(join(dir, 'debug.log'), 'two\n');
    mkdirSync(join(dir, 'secrets'));
    writeFileSync(join(dir, 'secrets', 'token'), 'x');
    expect(contextDigest(dir, 'Dockerfile')).toBe(first);
    writeFileSync(join(dir, '.dockerignore'), '*.log\nsecrets/\nDockerfile\n');
    const ignoreChanged = contextDigest(dir, 'Dockerfile');
    expect(ignoreChanged).not.toBe(first);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nLABEL a=b\n');
    expect(contextDigest(dir, 'Dockerfile')).not.toBe(ignoreChanged);
  });
});
