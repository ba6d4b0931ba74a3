import type { ServerResponse } from 'node:http';
import { ApiError, badRequest, expired } from './api-error.js';
import { clone, type JsonObject } from './json.js';
import type { KubeObject } from './objects.js';
import { apiVersionOf, type ResourceType } from './resource-types.js';
import type { ObjectStore, StoreEvent } from './store.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchRequest {
  type: ResourceType;
  /** undefined watches every namespace. */
  namespace: string | undefined;
  name?: string | undefined;
  selected: (object: KubeObject) => boolean;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
  timeoutSeconds: number;
}

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

function withResourceVersion(object: KubeObject, revision: number): KubeObject {
  const copy = clone(object);
  copy.metadata.resourceVersion = String(revision);
  return copy;
}

/** Checks the parameter combinations the API server rejects before it starts streaming. */
export function checkWatchRequest(request: WatchRequest): number | undefined {
  const { resourceVersion } = request;
  if (request.sendInitialEvents !== undefined) {
    if (request.resourceVersionMatch !== 'NotOlderThan') {
      throw new ApiError(
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        {
          causes: [
            {
              reason: 'FieldValueForbidden',
              message:
                'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
              field: 'resourceVersionMatch',
            },
          ],
        },
      );
    }
    if (request.sendInitialEvents && !request.allowWatchBookmarks) {
      throw new ApiError(
        422,
        'Invalid',
        'ListOptions.meta.k8s.io "" is invalid: allowWatchBookmarks: Required value: allowWatchBookmarks must be set to true when sendInitialEvents is true',
        {
          causes: [
            {
              reason: 'FieldValueRequired',
              message:
                'Required value: allowWatchBookmarks must be set to true when sendInitialEvents is true',
              field: 'allowWatchBookmarks',
            },
          ],
        },
      );
    }
  } else if (request.resourceVersionMatch !== undefined && request.resourceVersionMatch !== '') {
    throw new ApiError(
      422,
      'Invalid',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
      {
        causes: [
          {
            reason: 'FieldValueForbidden',
            message:
              'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
            field: 'resourceVersionMatch',
          },
        ],
      },
    );
  }
  if (resourceVersion === undefined || resourceVersion === '' || resourceVersion === '0')
    return undefined;
  if (!/^\d+$/.test(resourceVersion))
    throw badRequest(`Invalid value: "${resourceVersion}": must be a valid resourceVersion`);
  return Number(resourceVersion);
}

/**
 * Streams watch events as the API server does over HTTP/1.1: a chunked 200 response with one JSON
 * object per line. Returns a function that ends the stream (used when the server stops).
 */
export function serveWatch(
  store: ObjectStore,
  request: WatchRequest,
  response: ServerResponse,
  settings: WatchSettings,
): () => void {
  const from = checkWatchRequest(request);
  const { type } = request;
  const inScope = (object: KubeObject): boolean =>
    (request.namespace === undefined || object.metadata.namespace === request.namespace) &&
    (request.name === undefined || object.metadata.name === request.name);
  const matches = (object: KubeObject | undefined): boolean =>
    object !== undefined && inScope(object) && request.selected(object);

  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  response.flushHeaders();

  let closed = false;
  const send = (eventType: WatchEventType, object: JsonObject): void => {
    if (closed) return;
    response.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: JsonObject = { resourceVersion: String(store.revision) };
    if (annotations !== undefined) metadata.annotations = annotations;
    send('BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type), metadata });
  };

  const deliver = (event: StoreEvent): void => {
    if (event.resource !== type) return;
    const now = matches(event.object);
    const before = event.type === 'MODIFIED' ? matches(event.previous) : now;
    if (event.type === 'MODIFIED' && now && !before) send('ADDED', event.object);
    else if (event.type === 'MODIFIED' && !now && before && event.previous !== undefined) {
      send('DELETED', withResourceVersion(event.previous, event.revision));
    } else if (now) send(event.type, event.object);
  };

  if (from === undefined) {
    // No resourceVersion (or "0", or a watch-list request): the current state first, as ADDED events.
    for (const object of store.list(type, type.namespaced ? request.namespace : undefined)) {
      if (matches(object)) send('ADDED', object);
    }
    if (request.sendInitialEvents === true) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const history = store.eventsSince(from);
    if (history === undefined) {
      send('ERROR', expired(`too old resource version: ${from} (${store.revision})`).toStatus());
      response.end();
      return () => undefined;
    }
    for (const event of history) deliver(event);
  }
  const unsubscribe = store.subscribe(deliver);

  const timers: NodeJS.Timeout[] = [];
  if (request.allowWatchBookmarks) {
    timers.push(
      setInterval(() => {
        bookmark();
      }, settings.bookmarkIntervalMs),
    );
  }
  const finish = (): void => {
    if (closed) return;
    if (request.allowWatchBookmarks && !response.destroyed) bookmark();
    closed = true;
    unsubscribe();
    for (const timer of timers) clearInterval(timer);
    response.end();
  };
  timers.push(setTimeout(finish, request.timeoutSeconds * 1000));
  response.on('close', () => {
    closed = true;
    unsubscribe();
    for (const timer of timers) clearInterval(timer);
  });
  return finish;
}
