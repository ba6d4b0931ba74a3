import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { redisServerArgs } from './redis-server.js';
import { requireBinary } from './system-binaries.js';
import { createCertificateAuthority } from './tls-certificates.js';

/** A redis-server that speaks TLS only, with a password: what `rediss://` reaches. */
export interface TlsRedis {
  /** rediss://:password@127.0.0.1:port */
  url: string;
  port: number;
  /** The PEM file of the CA that signed the server's certificate (REDIS_TLS_CA_FILE). */
  caFile: string;
  process: ManagedProcess;
}

/**
 * Debian's redis-server with `--port 0 --tls-port …`: no plain-text port at all, its certificate
 * for 127.0.0.1 signed by a CA made here with openssl, clients not asked for certificates.
 */
export async function startTlsRedis(workDir: string, password: string): Promise<TlsRedis> {
  const ca = await createCertificateAuthority(join(workDir, 'ca'), 'redis');
  const server = await ca.issue('redis', { ip: '127.0.0.1' });
  const files = {
    ca: join(workDir, 'redis-ca.pem'),
    cert: join(workDir, 'redis-cert.pem'),
    key: join(workDir, 'redis-key.pem'),
  };
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.cert, server.cert);
  writeFileSync(files.key, server.key, { mode: 0o600 });
  const port = await freePort();
  const args = [
    ...redisServerArgs(workDir, 0),
    '--tls-port',
    String(port),
    '--tls-cert-file',
    files.cert,
    '--tls-key-file',
    files.key,
    '--tls-ca-cert-file',
    files.ca,
    '--tls-auth-clients',
    'no',
    '--requirepass',
    password,
  ];
  const process = await startProcess({
    name: `redis-server tls ${port}`,
    command: requireBinary('redis-server', 'redis-server'),
    args,
    logFile: join(workDir, `redis-tls-${port}.log`),
    ready: async () => {
      const client = new Redis({
        port,
        host: '127.0.0.1',
        password,
        tls: { ca: ca.cert },
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        return true;
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    },
  });
  const url = `rediss://:${encodeURIComponent(password)}@127.0.0.1:${String(port)}`;
  return { url, port, caFile: files.ca, process };
}
