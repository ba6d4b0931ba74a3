import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const searchPath = (): string[] => [
  ...(process.env.PATH ?? '').split(delimiter),
  '/usr/sbin',
  '/sbin',
  '/usr/local/sbin',
];

/** Finds a system program or stops the test run with the Debian package that provides it. */
export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of searchPath()) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `The tests need \`${name}\`, which is not installed. Install it with: apt-get install -y ${debianPackage}`,
  );
}
