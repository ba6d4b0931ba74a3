// Runs in a pod's network namespace (started with `nsenter --net=/proc/PID/ns/net node forwarder.mjs
// SOCKET`): accepts on a unix socket, which any namespace can reach by its path, reads "PORT\n",
// connects to 127.0.0.1:PORT inside the pod, answers "OK\n" or "ERR <code>\n", then relays bytes.
// It exits when its parent closes its stdin, so it never outlives the process that started it.
import { rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const socketPath = process.argv[2];
if (!socketPath) throw new Error('usage: forwarder.mjs SOCKET_PATH');

function relay(client, port, rest) {
  const upstream = createConnection({ host: '127.0.0.1', port });
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    client.write('OK\n');
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  });
  upstream.on('error', (error) => {
    if (connected) client.destroy();
    else client.end(`ERR ${error.code ?? 'EIO'}\n`);
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

const server = createServer((client) => {
  let header = Buffer.alloc(0);
  const onData = (chunk) => {
    header = Buffer.concat([header, chunk]);
    const end = header.indexOf(10);
    if (end === -1) {
      if (header.length > 16) client.destroy();
      return;
    }
    client.off('data', onData);
    client.pause();
    const port = Number(header.subarray(0, end).toString('utf8'));
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      client.end('ERR EINVAL\n');
      return;
    }
    relay(client, port, header.subarray(end + 1));
  };
  client.on('data', onData);
  client.on('error', () => undefined);
});

rmSync(socketPath, { force: true });
server.listen(socketPath, () => {
  process.stdout.write('ready\n');
});
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
