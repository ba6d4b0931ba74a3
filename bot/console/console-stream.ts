import type { ServerResponse } from 'node:http';
import { compareIds, type ConsoleEntry } from '../../core/adapters/console/console-events.js';
import type { ConsoleFeed } from '../../core/adapters/console/console-feed.js';
import { foldEntries, viewItemOf } from '../../core/adapters/console/console-view.js';
import type { HtmlNames } from '../../core/adapters/console/render-html.js';
import type { Logger } from '../../core/logger.js';

export interface ChannelStreamOptions {
  feed: ConsoleFeed;
  names: HtmlNames;
  logger: Logger;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number;
}

function send(response: ServerResponse, event: string, data: object): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A channel as server-sent events: first everything it shows now (`snapshot`), then each change
 * (`item`) as it happens. A browser that reconnects gets a new snapshot: nothing is missed.
 */
export async function streamChannel(
  response: ServerResponse,
  channel: string,
  options: ChannelStreamOptions,
): Promise<void> {
  const early: ConsoleEntry[] = [];
  let last: string | undefined;
  let live = false;
  const forward = (entry: ConsoleEntry) => {
    if (!live) early.push(entry);
    else send(response, 'item', viewItemOf(entry, options.names));
  };
  // Subscribed before the history is read, so that nothing added in between is lost.
  const unsubscribe = options.feed.subscribe(channel, forward);
  const heartbeat = setInterval(
    () => response.write(': keep-alive\n\n'),
    options.heartbeatMs ?? 15_000,
  );
  response.on('close', () => {
    unsubscribe();
    clearInterval(heartbeat);
  });
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
  });
  try {
    const history = await options.feed.history(channel);
    last = history.at(-1)?.id;
    send(response, 'snapshot', { channel, messages: foldEntries(history, options.names) });
  } catch (error) {
    // The browser shows that it is reconnecting, and tries again in a few seconds.
    options.logger.warn({ err: error, channel }, 'console history could not be read');
    response.end();
    return;
  }
  live = true;
  for (const entry of early) {
    if (last === undefined || compareIds(entry.id, last) > 0) forward(entry);
  }
}
