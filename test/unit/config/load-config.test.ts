import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../core/config.js';
import { testGate } from '../../support/deploy-fixtures.js';
import { repoRoot } from '../../support/paths.js';
import { catalogDirectory, VALID_CATALOG, VALID_ENV } from './catalog-fixture.js';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

function loadWith(catalog: string, env: Record<string, string> = VALID_ENV) {
  const { file } = catalogDirectory(catalog);
  return { file, load: () => loadConfig({ ...env, HARBORMASTER_CONFIG: file }) };
}

describe('loadConfig', () => {
  it('loads a valid catalog with defaults and paths resolved from the catalog file', () => {
    const { file, load } = loadWith(VALID_CATALOG);
    const config = load();
    const dir = join(file, '..');
    expect(config.catalog.services['hello-world']).toEqual({
      name: 'hello-world',
      source: { kind: 'path', path: join(dir, 'service') },
      defaultRef: 'main',
      test: testGate({ timeoutMs: 600_000 }),
      dockerfile: 'Dockerfile',
      buildArgs: {},
      chartPath: join(dir, 'chart', 'hello-world'),
      release: 'hello-world',
      valuesFiles: { staging: [join(dir, 'chart', 'hello-world', 'values-staging.yaml')] },
    });
    expect(config.catalog.environments.staging).toEqual({
      name: 'staging',
      namespace: 'staging',
      deployers: { users: [], userGroups: ['S0614TZR7'], everyone: false },
      refs: ['*'],
      allowCommits: false,
    });
    expect(config).toMatchObject({
      http: { port: 3000 },
      redis: { url: 'redis://127.0.0.1:6379' },
      helm: { bin: 'helm' },
      registry: { host: '127.0.0.1:5000' },
      worker: { concurrency: 2, lockDurationMs: 30_000 },
    });
  });

  it('loads the catalog the repository ships, with no Slack token: the console is on', () => {
    const config = loadConfig({ HARBORMASTER_CONFIG: join(repoRoot, 'harbormaster.yaml') });
    expect(Object.keys(config.catalog.services)).toEqual(['hello-world']);
    expect(config.catalog.services['hello-world']?.chartPath).toBe(
      join(repoRoot, 'chart', 'hello-world'),
    );
    expect(Object.keys(config.catalog.environments)).toEqual(['local', 'staging']);
    // The console's person may deploy to the compose stack's k3s, the default environment.
    expect(config.console?.user).toEqual({ id: 'U0CONSOLE', name: 'you' });
    expect(config.catalog.environments.local?.deployers.users).toEqual(['U0CONSOLE']);
    expect(config.registry.host).toBe('localhost:5000');
  });

  it('names a missing token and says where to find one', () => {
    const { load } = loadWith(VALID_CATALOG, { SLACK_SIGNING_SECRET: 'signing-secret' });
    expect(messageOf(load)).toBe(
      [
        'Harbormaster cannot start: the environment has 1 problem:',
        '  - SLACK_BOT_TOKEN: found nothing (the key is missing); expected a bot token starting with xoxb- (Slack app > OAuth & Permissions)',
      ].join('\n'),
    );
  });

  it('never repeats a secret it refuses', () => {
    const { load } = loadWith(VALID_CATALOG, {
      SLACK_BOT_TOKEN: 'xoxp-a-user-token-by-mistake',
      SLACK_SIGNING_SECRET: 'signing-secret',
    });
    const message = messageOf(load);
    expect(message).not.toContain('xoxp-a-user-token-by-mistake');
    expect(message).toContain(
      'SLACK_BOT_TOKEN: found a value that is not accepted (hidden: it is a secret); expected a bot token starting with xoxb-',
    );
  });

  it('requires a signing secret in HTTP mode but not in Socket Mode', () => {
    const { load } = loadWith(VALID_CATALOG, { SLACK_BOT_TOKEN: 'xoxb-test' });
    expect(messageOf(load)).toContain(
      'SLACK_SIGNING_SECRET: found nothing (the key is missing); expected the signing secret (Slack app > Basic Information) for HTTP mode, or SLACK_APP_TOKEN for Socket Mode',
    );
    const socketMode = loadWith(VALID_CATALOG, {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-1',
    });
    expect(socketMode.load().slack).toEqual({ botToken: 'xoxb-test', appToken: 'xapp-1' });
  });

  it('names an unknown key and lists the keys that are allowed there', () => {
    const { file, load } = loadWith(
      VALID_CATALOG.replace(
        '    chart: chart/hello-world',
        '    chrat: chart/hello-world\n    chart: chart/hello-world',
      ),
    );
    expect(messageOf(load)).toBe(
      [
        `Harbormaster cannot start: ${file} has 1 problem:`,
        '  - services.hello-world.chrat: found an unknown key; expected one of: source, test, dockerfile, buildArgs, chart, release, values',
      ].join('\n'),
    );
  });

  it('points at the line of bad YAML', () => {
    const { file, load } = loadWith(
      VALID_CATALOG.replace(
        '    namespace: staging',
        '    namespace: staging\n   deployers: [oops',
      ),
    );
    expect(messageOf(load)).toBe(
      [
        `Harbormaster cannot start: ${file} has 1 problem:`,
        '  - (YAML syntax) (line 6): found "All mapping items must start at the same column"; expected valid YAML (check indentation, colons and quotes)',
      ].join('\n'),
    );
  });

  it('says when a chart path does not exist', () => {
    const { file, load } = loadWith(
      VALID_CATALOG.replace('chart: chart/hello-world', 'chart: charts/helo-world'),
    );
    expect(messageOf(load)).toBe(
      [
        `Harbormaster cannot start: ${file} has 1 problem:`,
        `  - services.hello-world.chart: found "charts/helo-world", but ${join(file, '..', 'charts', 'helo-world')}/Chart.yaml does not exist; expected a Helm chart directory (one with Chart.yaml), relative to the catalog file`,
      ].join('\n'),
    );
  });

  it('refuses a service defined twice, naming both lines', () => {
    const duplicated = `${VALID_CATALOG}  hello-world:
    source:
      path: service
    test:
      command: [npm, test]
    chart: chart/hello-world
`;
    const { file, load } = loadWith(duplicated);
    expect(messageOf(load)).toBe(
      [
        `Harbormaster cannot start: ${file} has 1 problem:`,
        '  - services.hello-world (line 17): found it defined a second time (first at line 9); expected each key once; rename one of them or merge the two',
      ].join('\n'),
    );
  });

  it('refuses two services that would share a Helm release', () => {
    const clash = `${VALID_CATALOG}  hello-again:
    source:
      path: service
    test:
      command: [npm, test]
    chart: chart/hello-world
    release: hello-world
`;
    const { load } = loadWith(clash);
    expect(messageOf(load)).toContain(
      '  - services.hello-again.release: found release "hello-world", which services.hello-world already uses; expected a release name no other service uses (set release: to tell them apart)',
    );
  });

  it('reports a wrong type with what was found', () => {
    const { load } = loadWith(VALID_CATALOG.replace('command: [npm, test]', 'command: npm test'));
    expect(messageOf(load)).toContain(
      '  - services.hello-world.test.command: found "npm test"; expected a list',
    );
  });

  it('says which file it could not find', () => {
    expect(
      messageOf(() =>
        loadConfig({ ...VALID_ENV, HARBORMASTER_CONFIG: '/nonexistent/harbormaster.yaml' }),
      ),
    ).toBe(
      [
        'Harbormaster cannot start: /nonexistent/harbormaster.yaml has 1 problem:',
        '  - HARBORMASTER_CONFIG: found "/nonexistent/harbormaster.yaml" (no such file); expected the path of the service catalog, harbormaster.yaml',
      ].join('\n'),
    );
  });

  it('serves the queue dashboard only when asked, and never without a password', () => {
    expect(loadWith(VALID_CATALOG).load().queueDashboard).toBeUndefined();
    const withoutPassword = loadWith(VALID_CATALOG, { ...VALID_ENV, QUEUE_DASHBOARD_PORT: '3002' });
    expect(messageOf(withoutPassword.load)).toContain(
      'QUEUE_DASHBOARD_PASSWORD: found nothing (the key is missing); expected a password with QUEUE_DASHBOARD_PORT',
    );
    const short = loadWith(VALID_CATALOG, {
      ...VALID_ENV,
      QUEUE_DASHBOARD_PORT: '3002',
      QUEUE_DASHBOARD_PASSWORD: 'short-Secret',
    });
    const refusal = messageOf(short.load);
    expect(refusal).toContain(
      'QUEUE_DASHBOARD_PASSWORD: found a value that is not accepted (hidden',
    );
    expect(refusal).not.toContain('short-Secret');
    const on = loadWith(VALID_CATALOG, {
      ...VALID_ENV,
      QUEUE_DASHBOARD_PORT: '3002',
      QUEUE_DASHBOARD_PASSWORD: 'sixteen-chars-Pa55',
    });
    expect(on.load().queueDashboard).toEqual({
      port: 3002,
      username: 'harbormaster',
      password: 'sixteen-chars-Pa55',
    });
  });
});
