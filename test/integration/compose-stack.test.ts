import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { loadConfig, type Config } from '../../core/config.js';
import { envSchema } from '../../core/config/env-schema.js';
import { repoRoot } from '../support/paths.js';

/** A compose service, as `docker-compose config` prints it (anchors and merges resolved). */
interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  user?: string;
}

/** The compose file's own variables, not Harbormaster's settings: they build its environment. */
const COMPOSE_ONLY = new Set([
  'REDIS_PASSWORD', // in REDIS_URL, and Redis's requirepass
  'HARBORMASTER_JOB_KEY', // issue 13: the key that signs deploy jobs
]);

/** `source:target` volumes of a service, as a map from target to source. */
function mounts(service: ComposeService): Map<string, string> {
  return new Map(
    (service.volumes ?? []).map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return [target, source];
    }),
  );
}

/** The configuration the product reads from a compose service's environment, here in the repo. */
function configOf(service: ComposeService): Config {
  return loadConfig({
    ...service.environment,
    HARBORMASTER_CONFIG: join(repoRoot, 'harbormaster.yaml'),
  });
}

describe('docker-compose.yml: the one-minute stack, wired as far as can be checked here', () => {
  let services: Record<string, ComposeService>;

  beforeAll(async () => {
    // Debian's docker-compose validates the file and prints it resolved.
    const { stdout } = await execa('docker-compose', ['config'], { cwd: repoRoot, env: {} });
    services = (parse(stdout) as { services: Record<string, ComposeService> }).services;
  });
  const service = (name: string): ComposeService => {
    const found = services[name];
    if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
    return found;
  };

  it('is valid for docker-compose config -q, with no .env', async () => {
    await expect(
      execa('docker-compose', ['config', '-q'], { cwd: repoRoot, env: {} }),
    ).resolves.toMatchObject({ exitCode: 0, stderr: '' });
    expect(Object.keys(services).sort()).toEqual(
      ['bot', 'k3s', 'kubeconfig', 'redis', 'registry', 'worker'].sort(),
    );
  });

  it('the bot and the worker read the kubeconfig k3s writes, addressed by service name', () => {
    const k3s = service('k3s');
    const written = k3s.environment?.K3S_KUBECONFIG_OUTPUT ?? '';
    const outputDir = written.slice(0, written.lastIndexOf('/'));
    const outputFile = written.slice(written.lastIndexOf('/') + 1);
    const outputVolume = mounts(k3s).get(outputDir);
    expect(outputVolume).toBeDefined();
    const rewriter = service('kubeconfig');
    const readAt = [...mounts(rewriter)].find(([, source]) => source === outputVolume)?.[0];
    const script = rewriter.command?.join(' ') ?? '';
    // It reads the file k3s writes, points it at https://k3s:6443, and writes /kube/config.
    expect(script).toContain(`${readAt}/${outputFile}`);
    expect(script).toContain('s#https://127.0.0.1:6443#https://k3s:6443#');
    expect(k3s.command).toContain('--tls-san=k3s');
    const kubeDir = /> (\S+)\/config/.exec(script)?.[1] ?? '';
    const kubeVolume = mounts(rewriter).get(kubeDir);
    expect(kubeVolume).toBeDefined();
    for (const name of ['bot', 'worker']) {
      const mountedAt = [...mounts(service(name))].find(([, source]) => source === kubeVolume)?.[0];
      expect(configOf(service(name)).kube.kubeconfig).toBe(`${mountedAt}/config`);
    }
  });

  it('the registry the catalog pushes to is the one k3s mirrors, and the host Docker Engine reaches it', () => {
    const pushedTo = configOf(service('worker')).registry.host;
    const mirrors = (
      parse(readFileSync(join(repoRoot, 'compose', 'k3s-registries.yaml'), 'utf8')) as {
        mirrors: Record<string, { endpoint: string[] }>;
      }
    ).mirrors;
    expect(mirrors[pushedTo]?.endpoint).toEqual(['http://registry:5000']);
    expect(mounts(service('k3s')).get('/etc/rancher/k3s/registries.yaml')).toBe(
      join(repoRoot, 'compose', 'k3s-registries.yaml'),
    );
    // The worker builds and pushes through the host's engine, which reaches the registry on its
    // own loopback: the name pushed to is localhost:<the published port>.
    expect(pushedTo).toBe('localhost:5000');
    expect(service('registry').ports).toEqual(['127.0.0.1:5000:5000/tcp']);
    const worker = service('worker');
    expect(mounts(worker).get('/var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(configOf(worker).docker.host).toBe('unix:///var/run/docker.sock');
  });

  it('publishes the console and hello-world on 127.0.0.1 only, at the ports the product uses', () => {
    const bot = service('bot');
    const config = configOf(bot);
    expect(config.slack).toBeUndefined();
    expect(config.console).toMatchObject({
      host: '0.0.0.0',
      user: { id: 'U0CONSOLE', name: 'you' },
    });
    expect(bot.ports).toEqual([`127.0.0.1:3000:${config.http.port}/tcp`]);
    // The console's person may deploy to the default (first) environment, the stack's k3s.
    const [first] = Object.values(config.catalog.environments);
    expect(first?.deployers.users).toContain(config.console?.user.id);
    const values = config.catalog.services['hello-world']?.valuesFiles[first?.name ?? ''] ?? [];
    const nodePorts = values.map(
      (file) =>
        (parse(readFileSync(file, 'utf8')) as { service?: { nodePort?: number } }).service
          ?.nodePort,
    );
    expect(nodePorts).toContain(30080);
    expect(service('k3s').ports).toEqual(['127.0.0.1:30080:30080/tcp']);
    expect(service('k3s').command).toContain('--node-external-ip=127.0.0.1');
    for (const name of ['redis', 'kubeconfig', 'worker'])
      expect(service(name).ports ?? []).toEqual([]);
  });

  it('every setting in .env.example is one Harbormaster reads, and every one the stack takes is there', () => {
    const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map(
      (match) => match[1] ?? '',
    );
    const read = Object.keys(envSchema.shape);
    expect(listed.filter((name) => !read.includes(name))).toEqual([]);
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    const taken = new Set(
      [...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? ''),
    );
    expect([...taken].filter((name) => !listed.includes(name) && !COMPOSE_ONLY.has(name))).toEqual(
      [],
    );
    // And setting one in .env changes something: the stack passes each on.
    expect(listed.filter((name) => !taken.has(name))).toEqual([]);
  });
});
