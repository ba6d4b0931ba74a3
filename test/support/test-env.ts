import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What the global set-up started for this test run; every suite reads it from here. */
export interface TestEnv {
  workDir: string;
  redisUrl: string;
  dockerHost: string;
  registry: { address: string };
  authRegistry: { address: string; username: string; password: string };
  helmBin: string;
  /** A locally imported Node image, usable as BASE_IMAGE with no pull. */
  nodeBaseImage: string;
}

export const TEST_ENV_FILE_VARIABLE = 'HARBORMASTER_TEST_ENV_FILE';

let cached: TestEnv | undefined;

export function testEnv(): TestEnv {
  if (cached) return cached;
  const file = process.env[TEST_ENV_FILE_VARIABLE];
  if (!file) {
    throw new Error(
      `${TEST_ENV_FILE_VARIABLE} is not set: run the tests with \`npm test\` so that the global set-up starts the test environment`,
    );
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as TestEnv;
  return cached;
}

/** A name no other suite or run uses: for queues, images, namespaces, releases. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
