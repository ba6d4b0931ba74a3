import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../support/paths.js';

const serviceDir = join(repoRoot, 'service');

/** What the deploy's test gate runs after `npm ci`: `npm test` inside the service's directory. */
async function npmTest(cwd: string) {
  return execa('npm', ['test'], {
    cwd,
    all: true,
    reject: false,
    // jest's own CI mode: no watch, no interactive output; and no colour codes in the text we read.
    env: { CI: 'true', FORCE_COLOR: '0' },
  });
}

beforeAll(() => {
  if (!existsSync(join(serviceDir, 'node_modules', 'jest'))) {
    throw new Error(
      'service/node_modules is missing: run `npm ci` at the repository root (its postinstall installs service/)',
    );
  }
});

describe("the hello-world service's own tests (the deploy's test gate)", () => {
  it('pass on the service as committed', async () => {
    const result = await npmTest(serviceDir);
    expect(result.all).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(result.all).not.toMatch(/\d+ failed/);
    expect(result.exitCode).toBe(0);
  });

  describe('on a copy whose greeting is broken', () => {
    let copy: string;

    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'hm-service-broken-'));
      cpSync(serviceDir, copy, {
        recursive: true,
        filter: (source) => !source.startsWith(join(serviceDir, 'node_modules')),
      });
      // The installed dependencies are shared, not copied: they are not what is under test.
      symlinkSync(join(serviceDir, 'node_modules'), join(copy, 'node_modules'), 'dir');
      const appFile = join(copy, 'src', 'app.ts');
      const source = readFileSync(appFile, 'utf8');
      const broken = source.replace("'Hello, World!'", "'Goodbye, World!'");
      if (broken === source) throw new Error('the greeting was not found in service/src/app.ts');
      writeFileSync(appFile, broken);
    });

    afterAll(() => {
      rmSync(copy, { recursive: true, force: true });
    });

    it('fail, with a non-zero exit and the failing assertion in the output', async () => {
      const result = await npmTest(copy);
      expect(result.exitCode).not.toBe(0);
      expect(result.all).toMatch(/Tests:\s+\d+ failed/);
      expect(result.all).toContain(
        'answers GET / with the greeting, the service name and its version',
      );
      expect(result.all).toContain('-   "message": "Hello, World!",');
      expect(result.all).toContain('+   "message": "Goodbye, World!",');
    });
  });
});
