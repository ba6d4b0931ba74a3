import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { dockerFromHost } from '../../core/adapters/docker-client.js';
import { loadConfig } from '../../core/config.js';
import {
  createCertificateAuthority,
  type CertificateAuthority,
  type Pem,
} from '../support/tls-certificates.js';
import { testEnv } from '../support/test-env.js';
import { catalogDirectory, VALID_CATALOG, VALID_ENV } from '../unit/config/catalog-fixture.js';

/**
 * DOCKER_HOST=tcp://… with DOCKER_TLS_VERIFY, as `dockerd --tlsverify` serves it: the real test
 * engine behind a TLS front on 127.0.0.1 that demands a client certificate from its CA.
 */
const dir = mkdtempSync(join(tmpdir(), 'hm-docker-tls-'));
const fronts: Server[] = [];

/** TLS on 127.0.0.1 with `server`'s certificate, clients from `clientCa` only, on to the engine. */
async function tlsFront(server: Pem, clientCa: string): Promise<number> {
  // The engine the tests use: its unix socket, or the TCP address a DOCKER_HOST named.
  const host = testEnv().dockerHost;
  const target = host.startsWith('unix://')
    ? { path: host.slice('unix://'.length) }
    : { host: new URL(host).hostname, port: Number(new URL(host).port) };
  const front = createServer(
    { ...server, ca: clientCa, requestCert: true, rejectUnauthorized: true },
    (client) => {
      const engine = connect(target);
      client.pipe(engine).pipe(client);
      engine.on('error', () => client.destroy());
      client.on('error', () => engine.destroy());
    },
  );
  front.on('tlsClientError', () => undefined);
  fronts.push(front);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return (front.address() as AddressInfo).port;
}

/** A DOCKER_CERT_PATH directory: ca.pem, cert.pem and key.pem, as docker's client reads them. */
function certPath(name: string, ca: string, client: Pem | undefined): string {
  const path = join(dir, name);
  mkdirSync(path);
  writeFileSync(join(path, 'ca.pem'), ca);
  if (client) {
    writeFileSync(join(path, 'cert.pem'), client.cert);
    writeFileSync(join(path, 'key.pem'), client.key);
  }
  return path;
}

function configFor(port: number, dockerCertPath: string) {
  const { file } = catalogDirectory(VALID_CATALOG);
  return loadConfig({
    ...VALID_ENV,
    HARBORMASTER_CONFIG: file,
    DOCKER_HOST: `tcp://127.0.0.1:${String(port)}`,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: dockerCertPath,
  });
}

describe('a Docker Engine over TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)', () => {
  let builderCa: CertificateAuthority;
  let strangerCa: CertificateAuthority;
  let port: number;

  beforeAll(async () => {
    builderCa = await createCertificateAuthority(join(dir, 'pki'), 'builder');
    strangerCa = await createCertificateAuthority(join(dir, 'pki'), 'stranger');
    port = await tlsFront(await builderCa.issue('builder', { ip: '127.0.0.1' }), builderCa.cert);
  });
  afterAll(async () => {
    await Promise.all(
      fronts.map(
        (front) =>
          new Promise<void>((resolve) =>
            front.close(() => {
              resolve();
            }),
          ),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches the engine with the client certificate from DOCKER_CERT_PATH', async () => {
    const client = await builderCa.issue('harbormaster-worker', {});
    const config = configFor(port, certPath('worker', builderCa.cert, client));
    expect(config.docker.tls).toEqual({ ca: builderCa.cert, ...client });
    const overTls = await dockerFromHost(config.docker.host, config.docker.tls).version();
    const direct = await dockerFromHost(testEnv().dockerHost).version();
    expect(overTls.Version).toBe(direct.Version);
  });

  it('is refused by the engine with a client certificate its CA did not sign', async () => {
    const client = await strangerCa.issue('intruder', {});
    const config = configFor(port, certPath('intruder', builderCa.cert, client));
    await expect(dockerFromHost(config.docker.host, config.docker.tls).ping()).rejects.toThrow();
  });

  it('refuses an engine whose certificate ca.pem did not sign', async () => {
    const impostor = await tlsFront(
      await strangerCa.issue('impostor', { ip: '127.0.0.1' }),
      builderCa.cert,
    );
    const client = await builderCa.issue('harbormaster-worker', {});
    const config = configFor(impostor, certPath('wary', builderCa.cert, client));
    await expect(dockerFromHost(config.docker.host, config.docker.tls).ping()).rejects.toThrow(
      /self[- ]signed|unable to (get|verify)|certificate/i,
    );
  });

  it('stops at start-up, naming DOCKER_CERT_PATH, when a file is missing', () => {
    const path = certPath('incomplete', builderCa.cert, undefined);
    expect(() => configFor(port, path)).toThrow(/DOCKER_CERT_PATH: .*cert\.pem/);
  });
});
