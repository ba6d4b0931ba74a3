// Runs in the pod network's namespace (started with `nsenter --net=/run/netns/NAME node
// gateway-relay.mjs HOST PORT SOCKET`): accepts TCP on HOST:PORT there and relays each connection
// to a unix socket, which any namespace reaches by its path. That is how a pod reaches a service
// the test runs on the machine (see cluster-network.ts). It prints "ready" once listening, and
// exits when its parent closes its stdin, so it never outlives the process that started it.
import { createConnection, createServer } from 'node:net';

const [host, portText, socketPath] = process.argv.slice(2);
const port = Number(portText);
if (!host || !Number.isInteger(port) || !socketPath)
  throw new Error('usage: gateway-relay.mjs HOST PORT SOCKET_PATH');

const server = createServer((client) => {
  const upstream = createConnection(socketPath);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
});

server.listen(port, host, () => {
  process.stdout.write('ready\n');
});
server.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
