import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort } from './free-port.js';
import { startProcess, type ManagedProcess } from './managed-process.js';
import { requireBinary } from './system-binaries.js';

export interface RegistryServer {
  /** host:port, as used in image references */
  address: string;
  credentials?: { username: string; password: string };
  process: ManagedProcess;
}

function servesV2(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    // agent: false, so no kept-alive socket outlives the probe.
    const request = get(`http://${address}/v2/`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 || response.statusCode === 401);
    });
    request.on('error', () => {
      resolve(false);
    });
  });
}

/** A real distribution v2 registry on loopback; with `auth`, it demands htpasswd (bcrypt) credentials. */
export async function startRegistry(
  workDir: string,
  options: { auth: boolean },
): Promise<RegistryServer> {
  const binary = requireBinary('docker-registry', 'docker-registry');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dir = join(workDir, `registry-${port}`);
  mkdirSync(join(dir, 'storage'), { recursive: true });

  const credentials = options.auth
    ? { username: 'harbormaster', password: `pw-${randomBytes(12).toString('hex')}` }
    : undefined;
  const authSection = credentials
    ? `auth:\n  htpasswd:\n    realm: harbormaster-test\n    path: ${join(dir, 'htpasswd')}\n`
    : '';
  if (credentials) {
    const hash = bcrypt.hashSync(credentials.password, 10);
    writeFileSync(join(dir, 'htpasswd'), `${credentials.username}:${hash}\n`);
  }
  const configPath = join(dir, 'config.yml');
  writeFileSync(
    configPath,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${address}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      authSection,
    ].join('\n'),
  );
  const managed = await startProcess({
    name: `docker-registry${credentials ? ' (auth)' : ''}`,
    command: binary,
    args: ['serve', configPath],
    logFile: join(dir, 'registry.log'),
    ready: () => servesV2(address),
  });
  return credentials ? { address, credentials, process: managed } : { address, process: managed };
}
