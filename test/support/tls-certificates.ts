import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireBinary } from './system-binaries.js';

const run = promisify(execFile);

export interface Pem {
  cert: string;
  key: string;
}

/** A certificate authority made with the openssl CLI, in `dir`, that signs leaf certificates. */
export interface CertificateAuthority extends Pem {
  /** A certificate for `commonName`: a server for 127.0.0.1 (`ip`), or a client. */
  issue(commonName: string, usage: { ip?: string }): Promise<Pem>;
}

export async function createCertificateAuthority(
  dir: string,
  name: string,
): Promise<CertificateAuthority> {
  const openssl = requireBinary('openssl', 'openssl');
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, `${name}-ca-key.pem`);
  const caCert = join(dir, `${name}-ca.pem`);
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
  ]);
  let serial = 0;
  return {
    cert: readFileSync(caCert, 'utf8'),
    key: readFileSync(caKey, 'utf8'),
    async issue(commonName, usage) {
      serial += 1;
      const base = join(dir, `${name}-${String(serial)}`);
      const extensions = `${base}.ext`;
      writeFileSync(
        extensions,
        usage.ip === undefined
          ? 'extendedKeyUsage=clientAuth\n'
          : `extendedKeyUsage=serverAuth\nsubjectAltName=IP:${usage.ip}\n`,
      );
      await run(openssl, [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}-key.pem`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${commonName}`,
      ]);
      await run(openssl, [
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-set_serial',
        String(serial),
        '-days',
        '2',
        '-extfile',
        extensions,
        '-out',
        `${base}.pem`,
      ]);
      return {
        cert: readFileSync(`${base}.pem`, 'utf8'),
        key: readFileSync(`${base}-key.pem`, 'utf8'),
      };
    },
  };
}
