import { readFileSync } from 'node:fs';

/**
 * The engine the kubelet runs pods in when none is named: the test run's (its environment file),
 * else DOCKER_HOST, else the default socket.
 */
export function defaultDockerHost(): string {
  const envFile = process.env.HARBORMASTER_TEST_ENV_FILE;
  if (envFile !== undefined && envFile !== '') {
    const parsed = JSON.parse(readFileSync(envFile, 'utf8')) as { dockerHost?: unknown };
    if (typeof parsed.dockerHost === 'string') return parsed.dockerHost;
  }
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}
