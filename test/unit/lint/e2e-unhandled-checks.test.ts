import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';

const e2eDir = join(repoRoot, 'test', 'e2e');

describe('every end-to-end file', () => {
  const files = readdirSync(e2eDir).filter((name) => name.endsWith('.test.ts'));

  it('exists', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)(
    '%s checks after each test that neither double met a request it did not understand',
    (name) => {
      const source = readFileSync(join(e2eDir, name), 'utf8');
      expect(source).toMatch(/afterEach\(\(\) => \{\s*expectNoUnhandled\(harness\);/);
    },
  );
});
