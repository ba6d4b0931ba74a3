import { request } from 'node:http';
import type Docker from 'dockerode';
import { numberAt, objectAt, objectsAt, stringAt, type JsonObject } from '../json.js';
import { connectToPod } from './pod-connection.js';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, as the kubelet's Unhealthy event says it. */
  message: string;
}

export interface ProbeTarget {
  docker: Docker;
  containerId: string;
  /** The pod's forwarder socket (sandbox.ts). */
  socketPath: string;
  podIp: string;
  /** The container's ports, to resolve a named probe port. */
  ports: JsonObject[];
}

function portOf(value: unknown, ports: JsonObject[]): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  return numberAt(
    ports.find((port) => port.name === value),
    'containerPort',
  );
}

async function httpGet(
  action: JsonObject,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeResult> {
  const port = portOf(action.port, target.ports);
  if (port === undefined)
    return { ok: false, message: `unknown port ${JSON.stringify(action.port)}` };
  const path = stringAt(action, 'path') ?? '/';
  const headers: Record<string, string> = {
    Host: `${target.podIp}:${port}`,
    'User-Agent': 'kube-probe/1.35',
    Accept: '*/*',
    Connection: 'close',
  };
  for (const header of objectsAt(action, 'httpHeaders'))
    headers[stringAt(header, 'name') ?? ''] = stringAt(header, 'value') ?? '';
  const url = `http://${target.podIp}:${port}${path}`;
  try {
    const socket = await connectToPod(target.socketPath, port, timeoutMs);
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(
        { createConnection: () => socket, path, method: 'GET', headers, timeout: timeoutMs },
        (response) => {
          response.resume();
          response.once('end', () => {
            resolve(response.statusCode ?? 0);
          });
        },
      );
      sent.once('timeout', () => {
        sent.destroy(
          new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)'),
        );
      });
      sent.once('error', reject);
      sent.end();
      socket.resume();
    });
    if (status >= 200 && status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${status}` };
  } catch (error) {
    return { ok: false, message: `Get "${url}": ${(error as Error).message}` };
  }
}

async function tcpSocket(
  action: JsonObject,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeResult> {
  const port = portOf(action.port, target.ports);
  if (port === undefined)
    return { ok: false, message: `unknown port ${JSON.stringify(action.port)}` };
  try {
    const socket = await connectToPod(target.socketPath, port, timeoutMs);
    socket.destroy();
    return { ok: true, message: '' };
  } catch (error) {
    return { ok: false, message: `dial tcp ${target.podIp}:${port}: ${(error as Error).message}` };
  }
}

/** The payload of Docker's multiplexed stream: each frame has an 8-byte header (stream, length). */
function demultiplexed(chunk: Buffer): string {
  let text = '';
  for (let offset = 0; offset + 8 <= chunk.length;) {
    const length = chunk.readUInt32BE(offset + 4);
    text += chunk.subarray(offset + 8, offset + 8 + length).toString('utf8');
    offset += 8 + length;
  }
  return text;
}

async function exec(
  action: JsonObject,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeResult> {
  const command = (Array.isArray(action.command) ? action.command : []).map(String);
  const container = target.docker.getContainer(target.containerId);
  const run = async (): Promise<ProbeResult> => {
    const execution = await container.exec({
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await execution.start({});
    let output = '';
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        if (output.length < 1024) output += demultiplexed(chunk);
      });
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => {
        resolve();
      });
    });
    const info = await execution.inspect();
    if (info.ExitCode === 0) return { ok: true, message: '' };
    const text = output.trim();
    return {
      ok: false,
      message:
        text === ''
          ? `command ${JSON.stringify(command)} exited with ${info.ExitCode ?? '?'}`
          : text,
    };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, message: `command timed out after ${timeoutMs / 1000}s` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(), timeout]);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs a probe once: httpGet, tcpSocket or exec, with its timeoutSeconds. */
export async function runProbe(probe: JsonObject, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (numberAt(probe, 'timeoutSeconds') ?? 1) * 1000;
  const http = objectAt(probe, 'httpGet');
  if (http !== undefined) {
    if (stringAt(http, 'scheme') === 'HTTPS')
      return { ok: false, message: 'the kube-api double runs HTTP probes only, not HTTPS' };
    return httpGet(http, target, timeoutMs);
  }
  const tcp = objectAt(probe, 'tcpSocket');
  if (tcp !== undefined) return tcpSocket(tcp, target, timeoutMs);
  const command = objectAt(probe, 'exec');
  if (command !== undefined) return exec(command, target, timeoutMs);
  return { ok: false, message: 'the kube-api double runs httpGet, tcpSocket and exec probes only' };
}
