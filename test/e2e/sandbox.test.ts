import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerFromHost } from '../support/docker-engine.js';
import { ALERTS_CHANNEL, startDeployHarness, TINY_FIXTURE } from '../support/deploy-harness.js';
import type { DeployHarness } from '../support/deploy-harness.js';
import { repoRoot } from '../support/paths.js';
import { testEnv, uniqueName } from '../support/test-env.js';
import { CHANNEL } from '../support/bot-harness.js';
import { deployAndWait, expectNoUnhandled } from './deploy-helpers.js';

/**
 * Hostile services, deployed from Slack through the real worker: their tests try to reach the
 * worker's secrets (its environment, the Docker socket, the kubeconfig, Redis), leave processes
 * behind, eat memory and sleep for ever. The sandbox holds each of them.
 */
describe('the test gate runs a hostile service in a sandbox, not on the worker', () => {
  let harness: DeployHarness;
  const dir = mkdtempSync(join(tmpdir(), 'hm-e2e-sandbox-'));
  const docker = dockerFromHost(testEnv().dockerHost);
  const marker = uniqueName('left-behind');

  /** A copy of the tiny fixture whose test is `test`. */
  function service(name: string, test: string, overrides: object = {}): object {
    const source = join(dir, name);
    cpSync(TINY_FIXTURE, source, { recursive: true });
    writeFileSync(join(source, 'test.js'), test);
    return {
      source: { path: source },
      test: { command: ['node', 'test.js'], timeoutSeconds: 60, ...overrides },
      buildArgs: { BASE_IMAGE: testEnv().nodeBaseImage },
      chart: join(repoRoot, 'chart', 'hello-world'),
    };
  }

  /** The tiny service, whose image's build runs a probe and keeps what it found in the image. */
  function builderService(): object {
    const entry = service('builder', "console.log('1 test passed');\n") as {
      source: { path: string };
    };
    const source = entry.source.path;
    writeFileSync(
      join(source, 'probe.js'),
      `const fs = require('node:fs');
const found = ['probe ran'];
for (const path of ['/proc/1/environ', '/proc/self/environ', '/var/run/docker.sock', ${JSON.stringify(process.env.KUBECONFIG ?? '/root/.kube/config')}, '/root/.docker/config.json']) {
  try { const text = fs.readFileSync(path, 'utf8'); found.push(path, text, Buffer.from(text).toString('hex'), Buffer.from(text).toString('base64')); } catch (error) { found.push(path + ' ' + error.code); }
}
const env = JSON.stringify(process.env);
found.push(env, Buffer.from(env).toString('hex'), Buffer.from(env).toString('base64'));
fs.writeFileSync('/probe.txt', found.join('\\n'));
`,
    );
    const dockerfile = readFileSync(join(source, 'Dockerfile'), 'utf8').replace(
      'COPY server.js greeting.js ./',
      // Asks for the secrets by name too: a build argument of that name would reach its env.
      'COPY server.js greeting.js probe.js ./\nARG SLACK_BOT_TOKEN SLACK_SIGNING_SECRET REGISTRY_PASSWORD REDIS_URL KUBE_TOKEN\nRUN ["node", "probe.js"]',
    );
    writeFileSync(join(source, 'Dockerfile'), dockerfile);
    return entry;
  }

  /** The bytes of a local image, as `docker save` writes them (layers uncompressed). */
  async function imageBytes(reference: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await docker.getImage(reference).get()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function slackConfig() {
    if (!harness.config.slack) throw new Error('the harness runs the bot with Slack');
    return harness.config.slack;
  }

  /** Puts the worker's secrets in this process's environment (the worker here) while `run` runs. */
  async function withSecretsInEnvironment<T>(run: () => Promise<T>): Promise<T> {
    const secrets = {
      SLACK_BOT_TOKEN: slackConfig().botToken,
      SLACK_SIGNING_SECRET: slackConfig().signingSecret ?? '',
      REGISTRY_PASSWORD: testEnv().authRegistry.password,
      REDIS_URL: harness.config.redis.url,
      KUBE_TOKEN: harness.kube.token,
    };
    const before = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      return await run();
    } finally {
      for (const name of Object.keys(secrets)) {
        if (before[name] === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = before[name];
      }
    }
  }

  /** Everything a person or an operator could read of a deploy: Slack, files, the worker's log. */
  function everythingSaid(): string {
    return [
      harness.slack.channel(CHANNEL.id).render(),
      harness.slack.channel(ALERTS_CHANNEL.id).render(),
      JSON.stringify(harness.slack.calls),
      ...harness.slack.files.map((file) => file.bytes?.toString('utf8') ?? ''),
      harness.logs.join(''),
    ].join('\n');
  }

  /** The worker's secrets, as they are, hex- and base64-encoded. */
  function secretForms(): string[] {
    const secrets = [
      slackConfig().botToken,
      slackConfig().signingSecret ?? '',
      testEnv().authRegistry.password,
      harness.kube.token,
      harness.config.redis.url,
    ].filter((secret) => secret.length >= 8);
    return secrets.flatMap((secret) => [
      secret,
      Buffer.from(secret).toString('hex'),
      Buffer.from(secret).toString('base64'),
    ]);
  }

  /** The host's processes whose command line holds `text`. */
  function hostProcessesWith(text: string): string[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .flatMap((pid) => {
        try {
          const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
          return command.includes(text) ? [command] : [];
        } catch {
          return [];
        }
      });
  }

  async function sandboxesOf(name: string) {
    const containers = await docker.listContainers({ all: true });
    return containers.filter((container) => container.Image.includes(`/${name}:`));
  }

  /** The hostile test: what it reads, where it connects, and all it prints (raw, hex, base64). */
  function probe(): string {
    const dockerSocket = testEnv().dockerHost.replace(/^unix:\/\//, '');
    return `
const fs = require('node:fs');
const net = require('node:net');
const findings = [];
function show(what, bytes) {
  // A variable or a line each: raw, hex and base64 on one line, short enough to be kept whole.
  for (const piece of bytes.toString('utf8').split(/[\\0\\n]/).filter(Boolean)) {
    const hex = Buffer.from(piece).toString('hex');
    console.log(what + ': ' + piece + ' hex ' + hex + ' base64 ' + Buffer.from(piece).toString('base64'));
  }
}
function read(path) {
  try { show(path, fs.readFileSync(path)); findings.push(path + ' read'); } catch (error) { findings.push(path + ' unreadable: ' + error.code); }
}
read('/proc/1/environ');
read('/proc/self/environ');
read('/proc/${process.pid}/environ');
read(${JSON.stringify(dockerSocket)});
read('/var/run/docker.sock');
read(${JSON.stringify(harness.kube.kubeconfigPath)});
read('/root/.kube/config');
show('env', Buffer.from(Object.entries(process.env).map(([name, value]) => name + '=' + value).join('\\n')));
findings.push('whoami ' + process.getuid() + ':' + process.getgid());
function connect(what, target) {
  return new Promise((resolve) => {
    const socket = net.connect(target);
    socket.setTimeout(3000, () => { findings.push(what + ' unreachable: timeout'); socket.destroy(); resolve(); });
    socket.on('connect', () => { findings.push(what + ' REACHED'); socket.destroy(); resolve(); });
    socket.on('error', (error) => { findings.push(what + ' unreachable: ' + error.code); resolve(); });
  });
}
(async () => {
  await connect('docker socket', { path: ${JSON.stringify(dockerSocket)} });
  await connect('redis', { host: '127.0.0.1', port: ${new URL(testEnv().redisUrl).port} });
  await connect('kubernetes api', { host: '127.0.0.1', port: ${new URL(harness.kube.url).port} });
  try { fs.writeFileSync('/app/test.js', 'overwritten'); findings.push('wrote its own source'); } catch (error) { findings.push('read-only: ' + error.code); }
  for (const finding of findings) console.log(finding);
  console.log('probe done, failing on purpose');
  process.exit(3);
})();
`;
  }

  beforeAll(async () => {
    harness = await startDeployHarness([], {
      catalogServices: {
        // Its test is written once the worker's kubeconfig and ports are known.
        hostile: service('hostile', ''),
        forky: service(
          'forky',
          `const { spawn } = require('node:child_process');
const child = spawn('node', ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { detached: true, stdio: 'ignore' });
child.unref();
console.log('left ' + child.pid + ' running');
`,
        ),
        hungry: service(
          'hungry',
          `const kept = [];
for (;;) kept.push(Buffer.alloc(8 * 1024 * 1024, 1));
`,
          { limits: { memoryMiB: 64 } },
        ),
        builder: builderService(),
        sleepy: service('sleepy', `console.log('sleeping'); setInterval(() => {}, 1000);\n`, {
          timeoutSeconds: 15,
        }),
      },
    });
  });
  afterAll(async () => {
    await harness.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it("reads what it can and fails by its own logic: no secret of the worker's anywhere", async () => {
    writeFileSync(join(dir, 'hostile', 'test.js'), probe());
    // As in a real worker, whose environment holds them: the worker here is this process.
    const deployed = await withSecretsInEnvironment(() => deployAndWait(harness, 'hostile'));
    const { state, message } = deployed;
    expect(state).toBe('failed');
    expect(message.rendered).toContain(
      'the tests (services.hostile.test.command) exited with code 3',
    );
    const said = everythingSaid();
    // The probe ran, and found nothing of the worker's: not its files, sockets, nor processes.
    expect(said).toContain('probe done, failing on purpose');
    expect(said).toContain('whoami 65534:65534');
    expect(said).toContain(`/proc/${process.pid}/environ unreadable: ENOENT`);
    // Chat names the kubeconfig by its role, never its path (infrastructure redaction).
    expect(said).toContain('[kubeconfig] unreadable: ENOENT');
    expect(said).toContain('/var/run/docker.sock unreadable: ENOENT');
    expect(said).toMatch(/docker socket unreachable: ENOENT/);
    expect(said).toMatch(/redis unreachable: ECONNREFUSED/);
    expect(said).toMatch(/kubernetes api unreachable: ECONNREFUSED/);
    expect(said).toContain('read-only: EROFS');
    for (const secret of secretForms()) expect(said).not.toContain(secret);
  });

  it("a build step that looks for the worker's secrets keeps none in the image, and the deploy completes", async () => {
    const { state, message } = await withSecretsInEnvironment(() =>
      deployAndWait(harness, 'builder'),
    );
    expect(state).toBe('completed');
    expect(message.rendered).toContain(':white_check_mark: Deployed builder@main → staging');
    const [image] = await docker.listImages({
      filters: { label: ['dev.harbormaster.service=builder'], dangling: ['false'] },
    });
    const bytes = await imageBytes(image?.RepoTags?.[0] ?? 'no image was built');
    expect(bytes.includes('probe ran')).toBe(true);
    for (const secret of secretForms()) expect(bytes.includes(secret)).toBe(false);
  });

  it('a test that leaves a process running: nothing of it is left when the stage ends', async () => {
    const { state } = await deployAndWait(harness, 'forky');
    expect(state).toBe('completed');
    expect(harness.logs.join('')).not.toContain(marker);
    expect(hostProcessesWith(marker)).toEqual([]);
    expect(await sandboxesOf('forky')).toEqual([]);
  });

  it('a test that allocates past the memory limit fails the gate, naming the limit', async () => {
    const { state, message } = await deployAndWait(harness, 'hungry');
    expect(state).toBe('failed');
    expect(message.rendered).toContain(
      "the tests (services.hungry.test.command) ran out of memory: the sandbox's limit is 64 MiB (services.hungry.test.limits.memoryMiB)",
    );
    expect(await sandboxesOf('hungry')).toEqual([]);
  });

  it('a test that sleeps past the time limit is stopped, and the limit named', async () => {
    const { state, message } = await deployAndWait(harness, 'sleepy');
    expect(state).toBe('failed');
    expect(message.rendered).toContain(
      "the tests (services.sleepy.test.command) were stopped after 15 s, the test gate's time limit (services.sleepy.test.timeoutSeconds)",
    );
    expect(await sandboxesOf('sleepy')).toEqual([]);
  });
});
