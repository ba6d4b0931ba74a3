import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeFound } from './config-error.js';

/** The client certificate and the CA a Docker Engine over TLS is verified against (PEM). */
export interface DockerTls {
  ca: string;
  cert: string;
  key: string;
}

const FILES = ['ca.pem', 'cert.pem', 'key.pem'] as const;

/**
 * DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as docker's own client reads them: with DOCKER_TLS_VERIFY
 * set, TLS with the client certificate in DOCKER_CERT_PATH (default ~/.docker), the server checked
 * against its ca.pem. Read once, at start-up; a missing file stops the process naming it.
 */
export function readDockerTls(vars: {
  DOCKER_TLS_VERIFY?: string | undefined;
  DOCKER_CERT_PATH?: string | undefined;
  HOME?: string | undefined;
}): DockerTls | undefined {
  if (vars.DOCKER_TLS_VERIFY === undefined) return undefined;
  const dir = vars.DOCKER_CERT_PATH ?? join(vars.HOME ?? '/root', '.docker');
  const read = (file: (typeof FILES)[number]): string => {
    const path = join(dir, file);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError('the environment', [
        {
          key: 'DOCKER_CERT_PATH',
          found: `${describeFound(path)} (${reason})`,
          expected: `a directory with ${FILES.join(', ')}: the Docker Engine's CA and this client's certificate and key`,
        },
      ]);
    }
  };
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
