// Jest loads global set-up outside its module mapper, so the TypeScript runs through tsx.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startTestEnv } = await tsImport('./start-test-env.ts', import.meta.url);
  await startTestEnv();
}
