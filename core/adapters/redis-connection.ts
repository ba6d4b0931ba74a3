import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

export interface RedisAddress {
  url: string;
  /** For rediss://: the CA certificate (PEM file) that signed the server's, when not a public CA. */
  tlsCaFile?: string;
}

/**
 * One ioredis connection per queue or worker. A worker blocks on Redis and must wait out an
 * outage (no retry limit); the bot's connection gives up on a command after one reconnect
 * attempt, and callers put a deadline on it, so an outage is reported rather than waited out.
 * `rediss://` turns TLS on (ioredis reads it from the URL), verified against `tlsCaFile` or the
 * system's CAs; a password or ACL user comes from the URL too.
 */
export function createRedisConnection(
  address: RedisAddress,
  options: { blocking: boolean },
): Redis {
  const tls =
    address.url.startsWith('rediss://') && address.tlsCaFile !== undefined
      ? { tls: { ca: readFileSync(address.tlsCaFile) } }
      : {};
  return new Redis(address.url, { maxRetriesPerRequest: options.blocking ? null : 1, ...tls });
}
