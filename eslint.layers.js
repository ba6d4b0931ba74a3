/**
 * The layers of docs/architecture.md, enforced: which folder may import which. Each entry names
 * its files and what they may not import; `no-restricted-imports` reads the import specifiers
 * (relative paths keep the folder names), so a wrong import fails the lint.
 */

/** What an import specifier looks like when it reaches into a part of the project. */
const PART = {
  config: String.raw`(^|/)config(\.js$|/)`,
  messages: String.raw`(^|/)messages/`,
  ports: String.raw`(^|/)ports/`,
  adapters: String.raw`(^|/)adapters/`,
  pipeline: String.raw`(^|/)pipeline/`,
  reporting: String.raw`(^|/)reporting/`,
  'use-cases': String.raw`(^|/)use-cases/`,
  logger: String.raw`(^|/)logger\.js$`,
  bot: String.raw`(^|/)bot/`,
  worker: String.raw`(^|/)worker/`,
};

/** Any package but these (node: built-ins are never an SDK). */
const packagesBut = (...allowed) =>
  String.raw`^(?!node:|\.|${allowed.map((name) => `${name}$`).join('|') || '$^'})`;

const SDKS = {
  regex: String.raw`^(@slack/|@kubernetes/|@balena/|bullmq$|ioredis$|dockerode$|execa$|express$|pino$)`,
  message: 'An SDK belongs in core/adapters (or the bot/worker that wires it).',
};

function zone(files, forbidden, extra = [], ignores = []) {
  const patterns = [
    ...forbidden.map((part) => ({
      regex: PART[part],
      message: `This layer may not import ${part} (see docs/architecture.md).`,
    })),
    ...extra,
  ];
  return {
    files,
    ...(ignores.length > 0 ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

const OUTER = ['bot', 'worker'];

export const layerRules = [
  zone(['core/*.ts'], OUTER, [], ['core/config.ts']),
  zone(
    ['core/domain/**/*.ts'],
    [
      'config',
      'messages',
      'ports',
      'adapters',
      'pipeline',
      'reporting',
      'use-cases',
      'logger',
      ...OUTER,
    ],
    [{ regex: packagesBut('zod'), message: 'The domain imports nothing but zod and itself.' }],
  ),
  zone(
    ['core/ports/**/*.ts'],
    ['config', 'messages', 'adapters', 'pipeline', 'reporting', 'use-cases', 'logger', ...OUTER],
    [{ regex: packagesBut(), message: 'No SDK type crosses a port.' }],
  ),
  zone(
    ['core/messages/**/*.ts'],
    ['config', 'adapters', 'pipeline', 'reporting', 'use-cases', 'logger', ...OUTER],
    [
      {
        regex: packagesBut(),
        message: 'Messages are composed in the neutral model; surfaces render them.',
      },
    ],
  ),
  zone(
    ['core/pipeline/**/*.ts'],
    ['config', 'messages', 'adapters', 'reporting', 'use-cases', ...OUTER],
    [SDKS],
  ),
  zone(
    ['core/reporting/**/*.ts'],
    ['config', 'adapters', 'pipeline', 'use-cases', ...OUTER],
    [SDKS],
  ),
  zone(['core/use-cases/**/*.ts'], ['config', 'adapters', ...OUTER], [SDKS]),
  zone(
    ['core/adapters/**/*.ts'],
    ['config', 'messages', 'pipeline', 'reporting', 'use-cases', ...OUTER],
  ),
  zone(
    ['core/config.ts', 'core/config/**/*.ts'],
    ['messages', 'ports', 'adapters', 'pipeline', 'reporting', 'use-cases', ...OUTER],
    [SDKS],
  ),
  zone(['bot/**/*.ts'], ['worker']),
  zone(['worker/**/*.ts'], ['bot']),
];
