/** A host and port of a Redis node or sentinel. */
export interface RedisAddress {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
  /** rediss: TLS to every node (and to the sentinels). */
  tls: boolean;
}

/**
 * Where Redis is, as REDIS_URL says it:
 * - `redis://[[user]:password@]host[:port][/db]` (or `rediss://`): one server;
 * - `redis+sentinel://[[user]:password@]host:port[,host:port…]/master[/db]`: the sentinels and the
 *   master set's name; the password is the master's, and the sentinels' too unless
 *   `?sentinelPassword=` (and `sentinelUsername=`) says otherwise;
 * - `redis+cluster://[[user]:password@]host:port[,host:port…]`: a Redis Cluster, from any of its nodes.
 */
export type RedisTarget =
  | { mode: 'standalone'; url: string }
  | ({
      mode: 'sentinel';
      sentinels: RedisAddress[];
      masterName: string;
      db: number;
      sentinelUsername?: string;
      sentinelPassword?: string;
    } & Credentials)
  | ({ mode: 'cluster'; nodes: RedisAddress[] } & Credentials);

const MULTI_HOST =
  /^(rediss?)\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

function addresses(list: string, defaultPort: number): RedisAddress[] {
  return list.split(',').map((entry) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
    if (match?.[1] === undefined) throw new Error(`"${entry}" is not host:port`);
    return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2] ?? defaultPort) };
  });
}

function credentials(userInfo: string | undefined, scheme: string): Credentials {
  const tls = scheme === 'rediss';
  if (userInfo === undefined) return { tls };
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? '' : decodeURIComponent(userInfo.slice(colon + 1));
  return {
    tls,
    ...(username === '' ? {} : { username }),
    ...(password === '' ? {} : { password }),
  };
}

/** Reads REDIS_URL; throws an Error that says what is wrong (never the password). */
export function parseRedisUrl(url: string): RedisTarget {
  if (/^rediss?:\/\//.test(url)) return { mode: 'standalone', url };
  const match = MULTI_HOST.exec(url);
  if (match === null) {
    throw new Error(
      'expected redis://, rediss://, redis+sentinel://host:port,…/master or redis+cluster://host:port,…',
    );
  }
  const [, scheme = 'redis', kind, userInfo, hosts = '', path = '', query = ''] = match;
  const auth = credentials(userInfo, scheme);
  if (kind === 'cluster') return { mode: 'cluster', nodes: addresses(hosts, 6379), ...auth };
  const [masterName = '', db = '0'] = path.replace(/^\//, '').split('/');
  if (masterName === '') throw new Error('a sentinel URL names its master set: …/mymaster');
  if (!/^\d+$/.test(db)) throw new Error(`the database "${db}" is not a number`);
  const params = new URLSearchParams(query);
  const sentinelUsername = params.get('sentinelUsername') ?? undefined;
  const sentinelPassword = params.get('sentinelPassword') ?? auth.password;
  return {
    mode: 'sentinel',
    sentinels: addresses(hosts, 26379),
    masterName: decodeURIComponent(masterName),
    db: Number(db),
    ...auth,
    ...(sentinelUsername === undefined ? {} : { sentinelUsername }),
    ...(sentinelPassword === undefined ? {} : { sentinelPassword }),
  };
}
