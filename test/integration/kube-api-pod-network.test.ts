import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pushFixtureImage } from '../support/fixture-images.js';
import { eventuallyValue } from '../support/eventually.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api/index.js';
import { CONFIG_MAPS, NAMESPACES, PODS, SECRETS } from '../support/kube-api/controllers/kinds.js';
import { stringAt, type JsonObject } from '../support/kube-api/json.js';
import { uniqueName } from '../support/test-env.js';

/**
 * The double's pod network (`podNetwork: true`): pods have their pod IPs on a bridge in a network
 * namespace the double creates, reach each other there, and reach a service of this machine only
 * where the test exposes it; configMap and secret volumes are files in the container.
 */
let double: KubeApiDouble;
let image: string;
let machine: Server;
/** What pods told the machine's service: one body per request. */
const heard: { path: string; body: string }[] = [];
const logged: string[] = [];
const GATEWAY_PORT = 8080;
const WRITE = { fieldManager: 'test', dryRun: false } as const;
let namespace: string;

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      resolve(body);
    });
  });
}

beforeAll(async () => {
  image = `${await pushFixtureImage({
    fixture: 'tiny',
    repository: `${uniqueName('pod-network')}/tiny`,
    tags: ['1'],
  })}:1`;
  machine = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      heard.push({ path: request.url ?? '', body });
      response.end('machine says hello');
    });
  });
  await new Promise<void>((resolve) => machine.listen(0, '127.0.0.1', resolve));
  double = await startKubeApiDouble({
    backOffMs: 100,
    probeTimeScale: 0.1,
    podNetwork: true,
    log: (line) => logged.push(line),
  });
  await double.network?.expose(GATEWAY_PORT, {
    port: (machine.address() as AddressInfo).port,
  });
  namespace = uniqueName('pod-network');
  double.api.create(
    NAMESPACES,
    '',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    WRITE,
  );
});

afterAll(async () => {
  await double.stop();
  machine.closeAllConnections();
  await new Promise((resolve) => machine.close(resolve));
});

afterEach(() => {
  expect(double.unhandled).toEqual([]);
  expect(logged.filter((line) => line.includes('controller error'))).toEqual([]);
});

/** A pod of the tiny image running `script` with node, the pod's own IP in POD_IP. */
function runScript(
  name: string,
  script: string,
  volumes?: { volumeMounts: JsonObject[]; volumes: JsonObject[]; fsGroup?: number },
): void {
  double.api.create(
    PODS,
    namespace,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image,
            command: ['node', '-e', script],
            env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
            ...(volumes === undefined ? {} : { volumeMounts: volumes.volumeMounts }),
          },
        ],
        ...(volumes === undefined ? {} : { volumes: volumes.volumes }),
        ...(volumes?.fsGroup === undefined
          ? {}
          : { securityContext: { fsGroup: volumes.fsGroup } }),
      },
    },
    WRITE,
  );
}

/** Posts what the script computes to the machine's service through the gateway. */
const tell = (path: string, expression: string): string =>
  `Promise.resolve().then(async () => ${expression}).then(
     (body) => fetch('http://10.244.0.1:${GATEWAY_PORT}${path}', { method: 'POST', body: String(body) }),
     (error) => fetch('http://10.244.0.1:${GATEWAY_PORT}${path}', { method: 'POST', body: 'ERROR ' + error.message }),
   )`;

async function heardOn(path: string): Promise<string> {
  return eventuallyValue(
    `a pod posts to ${path}`,
    () => heard.find((entry) => entry.path === path)?.body,
    90_000,
  );
}

function podIp(name: string): string | undefined {
  const ip = stringAt(double.api.tryGet(PODS, namespace, name), 'status', 'podIP');
  return ip === undefined || ip === '' ? undefined : ip;
}

describe('the pod network of the Kubernetes double', () => {
  it('gives a pod its pod IP on an interface, and the machine only where a port is exposed', async () => {
    runScript(
      'reaches-gateway',
      tell(
        '/gateway',
        `JSON.stringify({
          ip: process.env.POD_IP,
          addresses: Object.values(require('node:os').networkInterfaces()).flat().map((a) => a.address),
          answer: await (await fetch('http://10.244.0.1:${GATEWAY_PORT}/hello')).text(),
          unexposed: await fetch('http://10.244.0.1:9999/').then(() => 'answered', (e) => e.cause?.code),
        })`,
      ),
    );
    const seen = JSON.parse(await heardOn('/gateway')) as {
      ip: string;
      addresses: string[];
      answer: string;
      unexposed: string;
    };
    expect(seen.ip).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(seen.ip).toBe(podIp('reaches-gateway'));
    expect(seen.addresses).toContain(seen.ip);
    expect(seen.answer).toBe('machine says hello');
    expect(seen.unexposed).toBe('ECONNREFUSED');
  });

  it('lets one pod reach another at its pod IP', async () => {
    double.api.create(
      PODS,
      namespace,
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'serves' },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 5000 }] }] },
      },
      WRITE,
    );
    const target = await eventuallyValue('the serving pod has an IP', () => podIp('serves'));
    runScript(
      'asks',
      tell(
        '/peer',
        `(async () => { for (;;) { try { return await (await fetch('http://${target}:5000/')).text(); } catch { await new Promise((r) => setTimeout(r, 200)); } } })()`,
      ),
    );
    expect(JSON.parse(await heardOn('/peer'))).toMatchObject({ message: 'Hello, World!' });
  });

  it('mounts configMap and secret volumes as files: items, subPath, modes, fsGroup, read-only', async () => {
    double.api.create(
      CONFIG_MAPS,
      namespace,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings' },
        data: { 'app.yaml': 'greeting: hi\n', other: 'not mounted' },
      },
      WRITE,
    );
    double.api.create(
      SECRETS,
      namespace,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'credentials' },
        data: { token: Buffer.from('s3cret').toString('base64') },
      },
      WRITE,
    );
    runScript(
      'reads-volumes',
      tell(
        '/volumes',
        `(() => { const fs = require('node:fs'); return JSON.stringify({
          file: fs.readFileSync('/etc/app/app.yaml', 'utf8'),
          dir: fs.readdirSync('/etc/settings'),
          token: fs.readFileSync('/etc/credentials/token', 'utf8'),
          tokenMode: (fs.statSync('/etc/credentials/token').mode & 0o777).toString(8),
          tokenGroup: fs.statSync('/etc/credentials/token').gid,
          writable: (() => { try { fs.writeFileSync('/etc/settings/x', 'x'); return true; } catch (e) { return e.code; } })(),
        }); })()`,
      ),
      {
        volumeMounts: [
          { name: 'settings', mountPath: '/etc/app/app.yaml', subPath: 'app.yaml' },
          { name: 'settings', mountPath: '/etc/settings' },
          { name: 'credentials', mountPath: '/etc/credentials' },
        ],
        volumes: [
          {
            name: 'settings',
            configMap: { name: 'settings', items: [{ key: 'app.yaml', path: 'app.yaml' }] },
          },
          { name: 'credentials', secret: { secretName: 'credentials', defaultMode: 0o440 } },
        ],
        // The image runs as `node`: the 0440 secret is readable through the fsGroup only.
        fsGroup: 4321,
      },
    );
    expect(JSON.parse(await heardOn('/volumes'))).toEqual({
      file: 'greeting: hi\n',
      dir: ['app.yaml'],
      token: 's3cret',
      tokenMode: '440',
      tokenGroup: 4321,
      writable: 'EROFS',
    });
  });

  it('holds a container whose configMap is missing, naming it', async () => {
    runScript('no-config', 'setTimeout(() => {}, 1000)', {
      volumeMounts: [{ name: 'missing', mountPath: '/etc/missing' }],
      volumes: [{ name: 'missing', configMap: { name: 'does-not-exist' } }],
    });
    const state = await eventuallyValue('the container waits', () => {
      const statuses = (
        double.api.tryGet(PODS, namespace, 'no-config')?.status as JsonObject | undefined
      )?.containerStatuses;
      const waiting = Array.isArray(statuses)
        ? stringAt(statuses[0] ?? {}, 'state', 'waiting', 'message')
        : undefined;
      return waiting?.includes('not found') === true ? waiting : undefined;
    });
    expect(state).toContain('configmap "does-not-exist" not found');
  });
});
