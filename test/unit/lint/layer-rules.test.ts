import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { repoRoot } from '../../support/paths.js';

/**
 * The repository's own ESLint configuration, run on files that import what their layer may
 * not. The files exist only in memory, at the paths named; type-aware rules are off for them
 * (the TypeScript project does not know them), the layer rules are the real ones.
 */
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: [tseslint.configs.disableTypeChecked],
});

async function importErrors(file: string, specifier: string): Promise<string[]> {
  const source = `import * as wrong from '${specifier}';\n\nexport const used = wrong;\n`;
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((message) => message.fatal === true);
  if (fatal) throw new Error(`${file} could not be linted: ${fatal.message}`);
  return messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('lint keeps the layers of docs/architecture.md', () => {
  it.each([
    ['core/domain/wrong.ts', '../config.js', /may not import config/],
    ['core/domain/wrong.ts', '../config/catalog-schema.js', /may not import config/],
    ['core/domain/wrong.ts', '../messages/deploy-messages.js', /may not import messages/],
    ['core/domain/wrong.ts', '../ports/chat.js', /may not import ports/],
    ['core/domain/wrong.ts', '../adapters/run-program.js', /may not import adapters/],
    ['core/domain/wrong.ts', '../pipeline/runner.js', /may not import pipeline/],
    ['core/domain/wrong.ts', '@slack/types', /imports nothing but zod/],
    ['core/domain/wrong.ts', 'yaml', /imports nothing but zod/],
    ['core/ports/wrong.ts', '../messages/inline.js', /may not import messages/],
    ['core/ports/wrong.ts', '../adapters/slack/render-message.js', /may not import adapters/],
    ['core/ports/wrong.ts', '@slack/types', /No SDK type crosses a port/],
    ['core/pipeline/stages/wrong.ts', '../../adapters/run-program.js', /may not import adapters/],
    ['core/pipeline/wrong.ts', 'execa', /An SDK belongs in core\/adapters/],
    ['core/use-cases/wrong.ts', '../adapters/slack/slack-chat.js', /may not import adapters/],
    ['core/use-cases/wrong.ts', 'bullmq', /An SDK belongs in core\/adapters/],
    ['core/messages/wrong.ts', '@slack/types', /neutral model/],
    ['core/messages/wrong.ts', '../../worker/deploy-job.js', /may not import worker/],
    ['core/logger-wrong.ts', '../bot/app.js', /may not import bot/],
    ['bot/wrong.ts', '../worker/start-worker.js', /may not import worker/],
    ['worker/wrong.ts', '../bot/app.js', /may not import bot/],
  ])('%s importing %s fails', async (file, specifier, expected) => {
    const errors = await importErrors(file, specifier);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  it.each([
    ['core/domain/right.ts', './catalog.js'],
    ['core/domain/right.ts', 'zod'],
    ['core/ports/right.ts', '../domain/catalog.js'],
    ['core/pipeline/stages/right.ts', '../../ports/helm.js'],
    ['core/pipeline/right.ts', 'node:fs'],
    ['core/use-cases/right.ts', '../pipeline/runner.js'],
    ['core/adapters/right.ts', '@slack/web-api'],
    ['bot/right.ts', '../core/use-cases/deploy-command.js'],
    ['worker/right.ts', 'bullmq'],
  ])('%s importing %s passes', async (file, specifier) => {
    expect(await importErrors(file, specifier)).toEqual([]);
  });
});
