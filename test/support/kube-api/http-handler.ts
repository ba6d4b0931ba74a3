import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  ApiError,
  badRequest,
  methodNotAllowed,
  routeNotFound,
  type StatusBody,
} from './api-error.js';
import {
  compileSelection,
  PATCH_CONTENT_TYPES,
  type DeleteOptions,
  type KubeApi,
  type PropagationPolicy,
} from './api.js';
import {
  AGGREGATED_DISCOVERY_V2,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import {
  OPENAPI_V2_PROTOBUF,
  OPENAPI_V2_PROTOBUF_RESPONSE,
  openApiV2Json,
  openApiV2Protobuf,
} from './openapi.js';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { route, type Route } from './router.js';
import { serveWatch } from './watch.js';

/** One request as the double saw it; tests read these to check what helm or a client sent. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  userAgent: string | undefined;
  status: number;
}

/** A request the double does not implement: answered 404/405 with a Status body, and listed here. */
export interface UnhandledRequest {
  method: string;
  url: string;
  status: number;
  why: string;
}

export interface HandlerSettings {
  api: KubeApi;
  token: string;
  kubernetesVersion: string;
  serverAddress: () => string;
  bookmarkIntervalMs: number;
  defaultWatchTimeoutSeconds: number;
  requests: RequestRecord[];
  unhandled: UnhandledRequest[];
  log: (line: string) => void;
  watches: Set<() => void>;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

class Unhandled extends ApiError {}

function sendJson(
  response: ServerResponse,
  status: number,
  body: JsonValue,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'BadRequest', 'Request entity too large: limit is 3145728'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

/** The media type without parameters, lower-cased. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** JSON is what the double writes; a client that accepts neither JSON nor anything gets 406. */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const type = mediaType(part);
    return type === 'application/json' || type === '*/*' || type === 'application/*';
  });
}

function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const parameters = part.split(';').map((item) => item.trim());
    return (
      parameters.includes('as=APIGroupDiscoveryList') &&
      parameters.includes('g=apidiscovery.k8s.io') &&
      parameters.includes('v=v2')
    );
  });
}

function decodeBody(body: Buffer, contentType: string | undefined): JsonValue {
  const type = mediaType(contentType);
  if (type === PROTOBUF_CONTENT_TYPE) return decodeKubernetesProtobuf(body);
  const raw = body.toString('utf8');
  if (type === 'application/json' || type === '') {
    try {
      return JSON.parse(raw) as JsonValue;
    } catch (error) {
      throw badRequest(
        `json: cannot unmarshal the request body: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (type === 'application/yaml') {
    try {
      return parseYaml(raw) as JsonValue;
    } catch (error) {
      throw badRequest(`yaml: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
  );
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function integer(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`invalid value for ${name}: ${value}`);
  return Number(value);
}

function dryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All')
      throw new ApiError(400, 'BadRequest', `Invalid value: "${value}": supported values: "All"`);
  }
  return values.length > 0;
}

function fieldManager(
  query: URLSearchParams,
  userAgent: string | undefined,
  required: boolean,
): string {
  const given = query.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128)
      throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return given;
  }
  if (required) {
    throw new ApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  }
  // Like the API server: the user agent up to the first slash.
  return (userAgent ?? 'unknown').split('/')[0] ?? 'unknown';
}

function checkFieldValidation(query: URLSearchParams): void {
  const value = query.get('fieldValidation');
  if (value !== null && !['', 'Ignore', 'Warn', 'Strict'].includes(value)) {
    throw badRequest(`fieldValidation must be one of: Ignore, Warn, Strict; got ${value}`);
  }
}

function deleteOptions(body: JsonValue | undefined, query: URLSearchParams): DeleteOptions {
  const options: JsonObject = isJsonObject(body) ? body : {};
  const policyValue = query.get('propagationPolicy') ?? options.propagationPolicy;
  let propagationPolicy: PropagationPolicy | undefined;
  if (policyValue !== undefined && policyValue !== null) {
    if (policyValue !== 'Orphan' && policyValue !== 'Background' && policyValue !== 'Foreground') {
      throw new ApiError(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policyValue)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    }
    propagationPolicy = policyValue;
  } else if (options.orphanDependents === true || query.get('orphanDependents') === 'true') {
    propagationPolicy = 'Orphan';
  }
  const grace =
    integer(query, 'gracePeriodSeconds') ??
    (typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined);
  const preconditions = isJsonObject(options.preconditions) ? options.preconditions : {};
  const bodyDryRun = Array.isArray(options.dryRun) && options.dryRun.includes('All');
  return {
    propagationPolicy,
    gracePeriodSeconds: grace,
    preconditions: {
      uid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
      resourceVersion:
        typeof preconditions.resourceVersion === 'string'
          ? preconditions.resourceVersion
          : undefined,
    },
    dryRun: dryRun(query) || bodyDryRun,
  };
}

/** The whole request pipeline: authenticate, route, run the verb, answer JSON or a Status. */
export function createHandler(
  settings: HandlerSettings,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://double.invalid');
    const record: RequestRecord = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      contentType: request.headers['content-type'],
      userAgent: request.headers['user-agent'],
      status: 0,
    };
    settings.requests.push(record);
    response.on('finish', () => {
      record.status = response.statusCode;
    });
    handle(settings, request, response, url).catch((error: unknown) => {
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError(
              500,
              'InternalError',
              `Internal error occurred: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            );
      if (failure instanceof Unhandled || failure.code >= 500) {
        settings.unhandled.push({
          method: record.method,
          url: request.url ?? '',
          status: failure.code,
          why: failure.message,
        });
        settings.log(
          `kube-api double: ${failure.code} ${record.method} ${request.url ?? ''}: ${failure.message}`,
        );
      }
      if (response.headersSent) {
        response.end();
        return;
      }
      sendJson(response, failure.code, failure.toStatus());
    });
  };
}

function unhandled(code: 404 | 405, method: string, why: string): Unhandled {
  const base = code === 404 ? routeNotFound() : methodNotAllowed(method, why);
  return new Unhandled(
    base.code,
    base.reason,
    code === 404 ? `${base.message} (${why})` : base.message,
    {},
  );
}

/**
 * A wrong bearer token is 401. No token at all is allowed, as on the API server's old insecure
 * port: client-go (and so helm) reads a kubeconfig user's credentials only for https servers, so
 * over plain http it sends none. @kubernetes/client-node does send the token, and it is checked.
 */
function authenticate(settings: HandlerSettings, request: IncomingMessage): void {
  const header = request.headers.authorization;
  if (header === undefined) return;
  if (header !== `Bearer ${settings.token}`)
    throw new ApiError(401, 'Unauthorized', 'Unauthorized');
}

async function handle(
  settings: HandlerSettings,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const method = request.method ?? 'GET';
  authenticate(settings, request);
  const accept = request.headers.accept;
  const target = route(url.pathname);
  if (target.kind === 'unknown') throw unhandled(404, method, target.why);
  if (target.kind !== 'resource' && method !== 'GET') throw unhandled(405, method, url.pathname);
  if (!acceptsJson(accept) && target.kind !== 'openapi') {
    throw new ApiError(
      406,
      'NotAcceptable',
      `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  switch (target.kind) {
    case 'version':
      sendJson(response, 200, versionInfo(settings.kubernetesVersion));
      return;
    case 'health':
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('ok');
      return;
    case 'api':
      if (wantsAggregatedDiscovery(accept))
        sendJson(response, 200, aggregatedDiscovery(true), AGGREGATED_DISCOVERY_V2);
      else sendJson(response, 200, apiVersions(settings.serverAddress()));
      return;
    case 'apis':
      if (wantsAggregatedDiscovery(accept))
        sendJson(response, 200, aggregatedDiscovery(false), AGGREGATED_DISCOVERY_V2);
      else sendJson(response, 200, apiGroupList());
      return;
    case 'group':
      sendJson(response, 200, apiGroup(target.group));
      return;
    case 'resourceList':
      sendJson(response, 200, apiResourceList(target.group, target.version));
      return;
    case 'openapi':
      serveOpenApi(settings, accept, target.path, response);
      return;
    case 'resource':
      await handleResource(settings, request, response, url, target);
      return;
  }
}

async function handleResource(
  settings: HandlerSettings,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  target: Extract<Route, { kind: 'resource' }>,
): Promise<void> {
  const { api } = settings;
  const { type, name, subresource } = target;
  const method = request.method ?? 'GET';
  const query = url.searchParams;
  const namespace = target.namespace ?? '';
  const userAgent = request.headers['user-agent'];
  const status = subresource === 'status' ? 'status' : undefined;
  if (subresource === 'finalize') throw unhandled(405, method, url.pathname);
  checkFieldValidation(query);

  if (name === undefined) {
    switch (method) {
      case 'GET': {
        const labelSelector = query.get('labelSelector') ?? undefined;
        const fieldSelector = query.get('fieldSelector') ?? undefined;
        if (flag(query, 'watch')) {
          const sendInitialEventsValue = query.get('sendInitialEvents');
          const finish = serveWatch(
            api.store,
            {
              type,
              namespace: type.namespaced ? target.namespace : undefined,
              selected: compileSelection(type, labelSelector, fieldSelector),
              resourceVersion: query.get('resourceVersion') ?? undefined,
              resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
              allowWatchBookmarks: flag(query, 'allowWatchBookmarks'),
              sendInitialEvents:
                sendInitialEventsValue === null ? undefined : sendInitialEventsValue === 'true',
              timeoutSeconds:
                integer(query, 'timeoutSeconds') ?? settings.defaultWatchTimeoutSeconds,
            },
            response,
            { bookmarkIntervalMs: settings.bookmarkIntervalMs },
          );
          settings.watches.add(finish);
          response.on('close', () => settings.watches.delete(finish));
          return;
        }
        if (query.get('sendInitialEvents') !== null) {
          throw new ApiError(
            422,
            'Invalid',
            'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
          );
        }
        sendJson(
          response,
          200,
          api.list(type, type.namespaced ? target.namespace : undefined, {
            labelSelector,
            fieldSelector,
            limit: integer(query, 'limit'),
            continueToken: query.get('continue') ?? undefined,
            resourceVersion: query.get('resourceVersion') ?? undefined,
            resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
          }),
        );
        return;
      }
      case 'POST': {
        if (type.namespaced && target.namespace === undefined)
          throw unhandled(405, method, url.pathname);
        const body = decodeBody(await readBody(request), request.headers['content-type']);
        const created = api.create(type, namespace, body, {
          fieldManager: fieldManager(query, userAgent, false),
          dryRun: dryRun(query),
        });
        sendJson(response, 201, created);
        return;
      }
      case 'DELETE': {
        if (!type.verbs.includes('deletecollection')) throw unhandled(405, method, url.pathname);
        const raw = await readBody(request);
        const options = deleteOptions(
          raw.length === 0 ? undefined : decodeBody(raw, request.headers['content-type']),
          query,
        );
        const selected = api.list(type, type.namespaced ? target.namespace : undefined, {
          labelSelector: query.get('labelSelector') ?? undefined,
          fieldSelector: query.get('fieldSelector') ?? undefined,
        });
        const items = selected.items.map((item) => {
          const result = api.delete(
            type,
            item.metadata.namespace ?? '',
            item.metadata.name ?? '',
            options,
          );
          return result.object;
        });
        sendJson(response, 200, { ...selected, items });
        return;
      }
      default:
        throw unhandled(405, method, url.pathname);
    }
  }

  switch (method) {
    case 'GET':
      sendJson(response, 200, api.get(type, namespace, name));
      return;
    case 'PUT': {
      const body = decodeBody(await readBody(request), request.headers['content-type']);
      sendJson(
        response,
        200,
        api.update(type, namespace, name, body, {
          fieldManager: fieldManager(query, userAgent, false),
          dryRun: dryRun(query),
          subresource: status,
        }),
      );
      return;
    }
    case 'PATCH': {
      const patchType = PATCH_CONTENT_TYPES[mediaType(request.headers['content-type'])];
      if (patchType === undefined) {
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json, application/apply-patch+cbor`,
        );
      }
      const force = query.get('force');
      if (force !== null && patchType !== 'apply') {
        throw new ApiError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
        );
      }
      const raw = (await readBody(request)).toString('utf8');
      const result = api.patch(type, namespace, name, patchType, raw, {
        fieldManager: fieldManager(query, userAgent, patchType === 'apply'),
        dryRun: dryRun(query),
        force: force === 'true',
        subresource: status,
      });
      sendJson(response, result.created ? 201 : 200, result.object);
      return;
    }
    case 'DELETE': {
      if (status !== undefined) throw unhandled(405, method, url.pathname);
      const raw = await readBody(request);
      const result = api.delete(
        type,
        namespace,
        name,
        deleteOptions(
          raw.length === 0 ? undefined : decodeBody(raw, request.headers['content-type']),
          query,
        ),
      );
      const body: JsonValue =
        result.kind === 'deleted' ? successBody(result.status) : result.object;
      sendJson(response, 200, body);
      return;
    }
    default:
      throw unhandled(405, method, url.pathname);
  }
}

function serveOpenApi(
  settings: HandlerSettings,
  accept: string | undefined,
  path: string,
  response: ServerResponse,
): void {
  if (path !== '/openapi/v2') {
    // As on a server without OpenAPI v3: a plain 404, which client-go answers by falling back to v2.
    sendJson(response, 404, routeNotFound().toStatus());
    return;
  }
  if ((accept ?? '').includes(OPENAPI_V2_PROTOBUF)) {
    const body = openApiV2Protobuf(settings.kubernetesVersion);
    response.writeHead(200, {
      'Content-Type': OPENAPI_V2_PROTOBUF_RESPONSE,
      'Content-Length': body.length,
    });
    response.end(body);
    return;
  }
  if (!acceptsJson(accept))
    throw new ApiError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json, ' + OPENAPI_V2_PROTOBUF,
    );
  sendJson(response, 200, openApiV2Json(settings.kubernetesVersion));
}

function successBody(status: StatusBody): JsonObject {
  return status;
}
