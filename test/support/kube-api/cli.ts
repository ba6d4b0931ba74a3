import { parseArgs } from 'node:util';
import { startKubeApiDouble } from './server.js';

/**
 * `npm run kube-double -- --port N`: serves the double until interrupted and prints its kubeconfig
 * path. Pods run in the Docker Engine at --docker-host (else DOCKER_HOST, else the default socket).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      context: { type: 'string' },
      'kubeconfig-dir': { type: 'string' },
      'docker-host': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not ${values.port}`);
  const double = await startKubeApiDouble({
    port,
    ...(values.context === undefined ? {} : { contextName: values.context }),
    ...(values['kubeconfig-dir'] === undefined ? {} : { kubeconfigDir: values['kubeconfig-dir'] }),
    ...(values['docker-host'] === undefined ? {} : { dockerHost: values['docker-host'] }),
  });
  process.stdout.write(`${double.kubeconfigPath}\n`);
  process.stderr.write(
    `kube-api double listening on ${double.url} (context ${double.contextName})\n`,
  );
  const stop = (): void => {
    double.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kube-double: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
