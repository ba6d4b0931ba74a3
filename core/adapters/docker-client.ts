import Docker from 'dockerode';

/** A dockerode client for a DOCKER_HOST value (unix:///path or tcp://host:port); the default socket when absent. */
export function dockerFromHost(host: string | undefined): Docker {
  if (host === undefined) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port) });
}
