import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  const { stopTestEnv } = await tsImport('./stop-test-env.ts', import.meta.url);
  await stopTestEnv();
}
