import type { HttpRoute } from '../../core/adapters/health-endpoints.js';
import { checkAccess, linkTokenValid } from './console-access.js';
import { sendAsset } from './console-assets.js';
import { consoleContext, type ConsoleContext, type ConsoleOptions } from './console-context.js';
import { asset, command, events, page, press, session, type Handler } from './console-handlers.js';
import { sendJson } from './http-io.js';

export interface WebConsole {
  routes: HttpRoute[];
  /** Ends every open event stream (a server does not close while one is open). */
  close(): void;
}

/** Every request is checked first: a page is answered with a page, an API call with JSON. */
type Kind = 'page' | 'api' | 'asset';

function guarded(context: ConsoleContext, handler: Handler, kind: Kind): HttpRoute['handler'] {
  return (request, response) => {
    const check = checkAccess(request, context.options.access);
    // The token page has styles too; a script or a style sheet is no secret.
    const open =
      kind === 'asset' || (kind === 'page' && linkTokenValid(request, context.options.access));
    if (check === 'wrong-host') {
      sendJson(response, 403, { error: 'wrong-host' });
      return;
    }
    if (check === 'needs-token' && !open) {
      if (kind === 'api') {
        sendJson(response, 401, { error: 'needs-token' });
        return;
      }
      sendAsset(response, context.assets, 'needs-token.html', 401);
      return;
    }
    Promise.resolve(handler(context, request, response)).catch((error: unknown) => {
      context.options.deps.logger.error({ err: error }, 'console request failed');
      if (response.headersSent) response.end();
      else sendJson(response, 500, { error: 'failed' });
    });
  };
}

/**
 * The web console, a chat surface served by the bot: its page, its channels live, and the
 * commands and buttons used in it, through the same use cases as Slack's handlers.
 */
export function createConsole(options: ConsoleOptions): WebConsole {
  const context = consoleContext(options);
  const route = (
    method: HttpRoute['method'],
    path: string,
    handler: Handler,
    kind: Kind = 'api',
  ): HttpRoute => ({ method, path, handler: guarded(context, handler, kind) });
  return {
    routes: [
      route('GET', '/', page, 'page'),
      route('GET', '/console.js', asset('console.js'), 'asset'),
      route('GET', '/console.css', asset('console.css'), 'asset'),
      route('GET', '/api/session', session),
      route('GET', '/api/events', events),
      route('POST', '/api/command', command),
      route('POST', '/api/action', press),
    ],
    close() {
      for (const response of context.streams) response.end();
      context.streams.clear();
    },
  };
}
