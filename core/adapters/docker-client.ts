import Docker from 'dockerode';

/** PEM text: the CA the engine's certificate is checked against, and this client's own. */
export interface DockerClientTls {
  ca: string;
  cert: string;
  key: string;
}

/**
 * A dockerode client for a DOCKER_HOST value (unix:///path or tcp://host:port); the default socket
 * when absent. With `tls`, TCP is HTTPS: the engine is verified against `ca` (host name included)
 * and this client presents `cert`, as docker's DOCKER_TLS_VERIFY does; port 2376 by default.
 */
export function dockerFromHost(host: string | undefined, tls?: DockerClientTls): Docker {
  if (host === undefined) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, tls ? 'https:' : 'http:'));
  if (tls === undefined) return new Docker({ host: url.hostname, port: Number(url.port || 2375) });
  return new Docker({
    protocol: 'https',
    host: url.hostname,
    port: Number(url.port || 2376),
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
  });
}
