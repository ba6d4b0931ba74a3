import { randomInt, randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { admit, releaseAllocations, type Allocators } from './admission.js';
import {
  alreadyExists,
  groupOf,
  ApiError,
  badRequest,
  conflict,
  expired,
  invalid,
  notFound,
  STALE_OBJECT_MESSAGE,
  type StatusBody,
} from './api-error.js';
import { applyDefaults, foldStringData } from './defaulting.js';
import {
  clone,
  compact,
  isJsonObject,
  jsonEqual,
  type JsonObject,
  type JsonValue,
} from './json.js';
import { nowTimestamp, type KubeObject, type ObjectMeta } from './objects.js';
import { applyJsonMergePatch } from './patch/json-merge-patch.js';
import { applyJsonPatch, decodeJsonPatch } from './patch/json-patch.js';
import { recordUpdate, serverSideApply } from './patch/server-side-apply.js';
import { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
import {
  apiVersionOf,
  COMMON_FIELD_LABELS,
  resourceTypeFor,
  type ResourceType,
} from './resource-types.js';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js';
import type { ObjectStore } from './store.js';
import { validateForCreate, validateForUpdate } from './validation.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Partial<Record<string, PatchType>>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export interface WriteOptions {
  fieldManager: string;
  dryRun: boolean;
  subresource?: 'status' | undefined;
}

export interface PatchOptions extends WriteOptions {
  force: boolean;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy | undefined;
  gracePeriodSeconds?: number | undefined;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
  dryRun: boolean;
}

export interface ListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continueToken?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
}

export interface ListResult extends JsonObject {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** Either the object still exists (graceful or finalized deletion) or a Status Success. */
export type DeleteResult =
  | { kind: 'pending'; object: KubeObject }
  | { kind: 'deleted'; object: KubeObject; status: StatusBody };

export interface KubeApiOptions {
  store: ObjectStore;
  allocators: Allocators;
  clock?: () => Date;
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix the API server appends to generateName. */
export function randomSuffix(length = 5): string {
  let suffix = '';
  for (let index = 0; index < length; index += 1)
    suffix += NAME_SUFFIX_ALPHABET[randomInt(NAME_SUFFIX_ALPHABET.length)] ?? 'x';
  return suffix;
}

/** Compiles label and field selectors for one resource; unknown field labels are a 400, as in the real server. */
export function compileSelection(
  type: ResourceType,
  labelSelector?: string,
  fieldSelector?: string,
): (object: KubeObject) => boolean {
  const labels = parseLabelSelector(labelSelector ?? '');
  const fields = parseFieldSelector(fieldSelector ?? '');
  for (const requirement of fields) {
    if (
      COMMON_FIELD_LABELS[requirement.field] === undefined &&
      type.fieldLabels[requirement.field] === undefined
    ) {
      throw badRequest(`field label not supported: ${requirement.field}`);
    }
  }
  return (object) =>
    matchesLabels(labels, object.metadata.labels ?? {}) &&
    matchesFields(fields, (field) =>
      (COMMON_FIELD_LABELS[field] ?? type.fieldLabels[field])?.(object),
    );
}

/** Field order as the API server writes objects: kind, apiVersion, metadata, then the rest. */
function ordered(object: KubeObject): KubeObject {
  const { kind, apiVersion, metadata, ...rest } = object;
  return compact({ kind, apiVersion, metadata, ...rest });
}

function withoutVolatile(object: KubeObject): JsonObject {
  const copy = clone(object);
  const metadata: ObjectMeta = { ...copy.metadata };
  delete metadata.resourceVersion;
  delete metadata.managedFields;
  copy.metadata = metadata;
  return copy;
}

function specPart(object: KubeObject): JsonObject {
  const copy: JsonObject = clone(object);
  delete copy.metadata;
  delete copy.status;
  delete copy.apiVersion;
  delete copy.kind;
  return copy;
}

function initialStatus(
  type: ResourceType,
  provided: JsonValue | undefined,
): JsonObject | undefined {
  switch (type.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      return {};
    case 'Pod':
      return { phase: 'Pending', qosClass: 'BestEffort' };
    case 'Service':
    case 'Ingress':
      return { loadBalancer: {} };
    case 'Namespace':
      return { phase: 'Active' };
    default:
      return isJsonObject(provided) ? provided : undefined;
  }
}

/**
 * The API semantics shared by the HTTP layer and the simulated controllers: validation, defaults,
 * resourceVersion preconditions, generation, managedFields, graceful deletion and finalizers.
 */
export class KubeApi {
  readonly store: ObjectStore;
  private readonly allocators: Allocators;
  private readonly clock: () => Date;

  constructor(options: KubeApiOptions) {
    this.store = options.store;
    this.allocators = options.allocators;
    this.clock = options.clock ?? (() => new Date());
  }

  now(): string {
    return nowTimestamp(this.clock);
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    const found = this.store.get(type, type.namespaced ? namespace : '', name);
    if (found === undefined) throw notFound(type, name);
    return found;
  }

  tryGet(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(type, type.namespaced ? namespace : '', name);
  }

  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const selected = compileSelection(type, options.labelSelector, options.fieldSelector);
    const revision = this.store.revision;
    const requested = options.resourceVersion;
    if (requested !== undefined && requested !== '' && requested !== '0') {
      if (!/^\d+$/.test(requested))
        throw badRequest(`Invalid value: "${requested}": must be a valid resourceVersion`);
      if (Number(requested) > revision) {
        throw new ApiError(
          504,
          'Timeout',
          `Too large resource version: ${requested}, current: ${revision}`,
          {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          },
        );
      }
      if (options.resourceVersionMatch === 'Exact' && Number(requested) !== revision) {
        throw expired(`The resourceVersion for the provided list is too old.`);
      }
    }
    let items = this.store.list(type, type.namespaced ? namespace : undefined).filter(selected);
    let start = 0;
    if (options.continueToken !== undefined && options.continueToken !== '') {
      start = decodeContinue(options.continueToken);
    }
    items = items.slice(start);
    const metadata: ListResult['metadata'] = { resourceVersion: String(revision) };
    const limit = options.limit ?? 0;
    if (limit > 0 && items.length > limit) {
      metadata.continue = encodeContinue(start + limit, revision);
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    return {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata,
      items: items.map((item) => {
        const copy: JsonObject = { ...item };
        // Typed lists from the API server carry kind and apiVersion on the list only.
        delete copy.kind;
        delete copy.apiVersion;
        return copy as KubeObject;
      }),
    };
  }

  /**
   * Like the API server's decoder: a missing kind or apiVersion defaults from the URL (except in an
   * apply configuration, which must name both); a different one is a 400.
   */
  private checkBody(type: ResourceType, body: JsonValue, requireTypeMeta = false): KubeObject {
    if (!isJsonObject(body)) throw badRequest('the body of the request was not a JSON object');
    const given = { apiVersion: body.apiVersion, kind: body.kind };
    if (requireTypeMeta && (typeof given.kind !== 'string' || given.kind === '')) {
      throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    }
    if (requireTypeMeta && (typeof given.apiVersion !== 'string' || given.apiVersion === '')) {
      throw badRequest(`Object 'apiVersion' is missing in '${JSON.stringify(body)}'`);
    }
    const apiVersion =
      typeof given.apiVersion === 'string' && given.apiVersion !== ''
        ? given.apiVersion
        : apiVersionOf(type);
    const kind = typeof given.kind === 'string' && given.kind !== '' ? given.kind : type.kind;
    if (apiVersion !== apiVersionOf(type)) {
      throw badRequest(
        `the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(type)})`,
      );
    }
    if (kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${kind}) does not match the expected kind (${type.kind})`,
      );
    }
    const metadata = body.metadata ?? {};
    if (!isJsonObject(metadata)) throw badRequest('metadata must be an object');
    return { ...body, apiVersion, kind, metadata: clone(metadata) };
  }

  private checkNamespace(type: ResourceType, namespace: string, object: KubeObject): void {
    if (!type.namespaced) {
      delete object.metadata.namespace;
      return;
    }
    const given = object.metadata.namespace;
    if (given !== undefined && given !== '' && given !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    object.metadata.namespace = namespace;
  }

  private namespaceMustAcceptContent(type: ResourceType, namespace: string, name: string): void {
    if (!type.namespaced) return;
    const namespaceType = resourceTypeFor('', 'namespaces');
    const found = this.store.get(namespaceType, '', namespace);
    if (found === undefined) throw notFound(namespaceType, namespace);
    if (found.metadata.deletionTimestamp !== undefined) {
      throw new ApiError(
        403,
        'Forbidden',
        `${type.plural}${type.group === '' ? '' : `.${type.group}`} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          ...groupOf(type.group),
          kind: type.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  create(
    type: ResourceType,
    namespace: string,
    body: JsonValue,
    options: WriteOptions,
  ): KubeObject {
    const object = this.checkBody(type, body);
    return this.createChecked(type, namespace, object, options, undefined);
  }

  private createChecked(
    type: ResourceType,
    namespace: string,
    object: KubeObject,
    options: WriteOptions,
    managed: KubeObject | undefined,
  ): KubeObject {
    this.checkNamespace(type, namespace, object);
    const metadata = object.metadata;
    if (metadata.resourceVersion !== undefined && metadata.resourceVersion !== '') {
      throw new ApiError(
        500,
        'InternalError',
        'resourceVersion should not be set on objects to be created',
      );
    }
    if (
      (metadata.name === undefined || metadata.name === '') &&
      metadata.generateName !== undefined &&
      metadata.generateName !== ''
    ) {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    const name = metadata.name ?? '';
    this.namespaceMustAcceptContent(type, namespace, name);
    foldStringData(object);
    applyDefaults(type, object);
    const status = initialStatus(type, object.status);
    if (status === undefined) delete object.status;
    else object.status = status;
    const errors = validateForCreate(type, object);
    if (errors.length > 0) throw invalid(type, name, errors);
    if (this.store.get(type, metadata.namespace ?? '', name) !== undefined)
      throw alreadyExists(type, name);
    const commit = admit(type, object, undefined, this.allocators);

    metadata.uid = randomUUID();
    metadata.creationTimestamp = this.now();
    if (type.tracksGeneration) metadata.generation = 1;
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    metadata.managedFields =
      managed?.metadata.managedFields ??
      recordUpdate({
        type,
        before: undefined,
        after: object,
        manager: options.fieldManager,
        subresource: undefined,
        now: this.now(),
      });
    if (options.dryRun) return ordered(object);
    commit();
    return this.store.create(type, ordered(object));
  }

  /** PUT: replace the whole object, or only its status through the status subresource. */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: JsonValue,
    options: WriteOptions,
  ): KubeObject {
    const object = this.checkBody(type, body);
    if (object.metadata.name !== undefined && object.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    object.metadata.name = name;
    this.checkNamespace(type, namespace, object);
    const before = this.get(type, namespace, name);
    this.checkPreconditions(type, before, object.metadata.uid, object.metadata.resourceVersion);
    return this.commitUpdate(type, before, object, options, undefined);
  }

  private checkPreconditions(
    type: ResourceType,
    before: KubeObject,
    uid: string | undefined,
    resourceVersion: string | undefined,
  ): void {
    const name = before.metadata.name ?? '';
    if (uid !== undefined && uid !== '' && uid !== before.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${before.metadata.uid ?? ''}`,
      );
    }
    if (
      resourceVersion !== undefined &&
      resourceVersion !== '' &&
      resourceVersion !== before.metadata.resourceVersion
    ) {
      throw conflict(type, name, STALE_OBJECT_MESSAGE);
    }
  }

  private commitUpdate(
    type: ResourceType,
    before: KubeObject,
    candidate: KubeObject,
    options: WriteOptions,
    applied: KubeObject | undefined,
  ): KubeObject {
    const name = before.metadata.name ?? '';
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = clone(before);
      if (candidate.status === undefined) delete next.status;
      else next.status = candidate.status;
      // Controllers record annotations such as deployment.kubernetes.io/revision through status writes.
      if (candidate.metadata.annotations !== undefined)
        next.metadata.annotations = candidate.metadata.annotations;
    } else {
      next = candidate;
      const server = before.metadata;
      next.metadata = {
        ...next.metadata,
        name: server.name,
        namespace: server.namespace,
        uid: server.uid,
        creationTimestamp: server.creationTimestamp,
        deletionTimestamp: server.deletionTimestamp,
        deletionGracePeriodSeconds: server.deletionGracePeriodSeconds,
        generation: server.generation,
      };
      if (type.subresources.includes('status')) {
        if (before.status === undefined) delete next.status;
        else next.status = before.status;
      }
      foldStringData(next);
      applyDefaults(type, next);
      if (server.deletionTimestamp !== undefined) {
        const added = (next.metadata.finalizers ?? []).filter(
          (finalizer) => !(server.finalizers ?? []).includes(finalizer),
        );
        if (added.length > 0) {
          throw invalid(type, name, [
            {
              type: 'FieldValueForbidden',
              field: 'metadata.finalizers',
              detail: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"${added.join('", "')}"}`,
            },
          ]);
        }
      }
    }
    const errors = validateForUpdate(type, before, next);
    if (errors.length > 0) throw invalid(type, name, errors);
    const commit = admit(type, next, before, this.allocators);
    if (type.tracksGeneration && options.subresource !== 'status') {
      const annotationsChanged =
        type.kind === 'Deployment' &&
        !jsonEqual(before.metadata.annotations, next.metadata.annotations);
      const specChanged = !jsonEqual(specPart(before), specPart(next));
      next.metadata.generation =
        (before.metadata.generation ?? 1) + (specChanged || annotationsChanged ? 1 : 0);
    }
    next.metadata.managedFields =
      applied?.metadata.managedFields ??
      recordUpdate({
        type,
        before,
        after: next,
        manager: options.fieldManager,
        subresource: options.subresource,
        now: this.now(),
      });
    next.metadata.resourceVersion = before.metadata.resourceVersion;
    const result = ordered(next);
    if (
      jsonEqual(withoutVolatile(result), withoutVolatile(before)) &&
      jsonEqual(stripTimes(result), stripTimes(before))
    ) {
      return before;
    }
    if (options.dryRun) return result;
    commit();
    if (
      result.metadata.deletionTimestamp !== undefined &&
      (result.metadata.finalizers ?? []).length === 0
    ) {
      return this.removeNow(type, result);
    }
    return this.store.update(type, result);
  }

  /** PATCH in any of the four patch types; apply creates the object when it is missing. */
  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patchType: PatchType,
    raw: string,
    options: PatchOptions,
  ): { object: KubeObject; created: boolean } {
    const before = this.tryGet(type, namespace, name);
    if (patchType === 'apply') return this.apply(type, namespace, name, before, raw, options);
    if (before === undefined) throw notFound(type, name);
    const body = parseJson(raw);
    let patched: JsonValue;
    switch (patchType) {
      case 'json':
        patched = applyJsonPatch(before, decodeJsonPatch(body));
        break;
      case 'merge':
        if (!isJsonObject(body)) throw badRequest('merge patch must be a JSON object');
        patched = applyJsonMergePatch(before, body);
        break;
      case 'strategic':
        if (!isJsonObject(body)) throw badRequest('strategic merge patch must be a JSON object');
        patched = applyStrategicMergePatch(type, before, body);
        break;
    }
    const object = this.checkBody(type, patched);
    if (object.metadata.name !== name)
      throw badRequest(
        `the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`,
      );
    this.checkNamespace(type, namespace, object);
    const requestedVersion =
      isJsonObject(body) && isJsonObject(body.metadata) ? body.metadata.resourceVersion : undefined;
    this.checkPreconditions(
      type,
      before,
      undefined,
      typeof requestedVersion === 'string' ? requestedVersion : undefined,
    );
    if (object.metadata.uid !== before.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${String(object.metadata.uid)}, UID in object meta: ${before.metadata.uid ?? ''}`,
      );
    }
    return { object: this.commitUpdate(type, before, object, options, undefined), created: false };
  }

  private apply(
    type: ResourceType,
    namespace: string,
    name: string,
    before: KubeObject | undefined,
    raw: string,
    options: PatchOptions,
  ): { object: KubeObject; created: boolean } {
    let document: unknown;
    try {
      document = parseYaml(raw) as unknown;
    } catch (error) {
      throw badRequest(
        `error decoding YAML: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const applied = this.checkBody(type, document as JsonValue, true);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    applied.metadata.name = name;
    this.checkNamespace(type, namespace, applied);
    if (before !== undefined)
      this.checkPreconditions(type, before, applied.metadata.uid, applied.metadata.resourceVersion);
    const merged = serverSideApply({
      type,
      live: before,
      applied,
      manager: options.fieldManager,
      force: options.force,
      subresource: options.subresource,
      now: this.now(),
    });
    merged.apiVersion = apiVersionOf(type);
    merged.kind = type.kind;
    if (before === undefined) {
      if (options.subresource === 'status') throw notFound(type, name);
      delete merged.metadata.resourceVersion;
      return {
        object: this.createChecked(type, namespace, merged, options, merged),
        created: true,
      };
    }
    return { object: this.commitUpdate(type, before, merged, options, merged), created: false };
  }

  delete(
    type: ResourceType,
    namespace: string,
    name: string,
    options: DeleteOptions,
  ): DeleteResult {
    const before = this.get(type, namespace, name);
    this.checkPreconditions(
      type,
      before,
      options.preconditions?.uid,
      options.preconditions?.resourceVersion,
    );
    if (options.dryRun) return { kind: 'pending', object: before };
    if (before.metadata.deletionTimestamp !== undefined) {
      if (type.kind === 'Pod' && options.gracePeriodSeconds === 0)
        return this.completeDeletion(type, before);
      return { kind: 'pending', object: before };
    }
    const policy = options.propagationPolicy ?? 'Background';
    const finalizers = [...(before.metadata.finalizers ?? [])];
    if (policy === 'Foreground') finalizers.push('foregroundDeletion');
    if (policy === 'Orphan') finalizers.push('orphan');

    const graceful = type.kind === 'Pod' && this.podNeedsGrace(before, options.gracePeriodSeconds);
    const waitsForNamespaceCleanup = type.kind === 'Namespace';
    if (finalizers.length === 0 && !graceful && !waitsForNamespaceCleanup)
      return this.completeDeletion(type, before);

    const next = clone(before);
    next.metadata.deletionTimestamp = this.now();
    if (finalizers.length > 0) next.metadata.finalizers = finalizers;
    if (type.kind === 'Pod') {
      const grace = options.gracePeriodSeconds ?? podGrace(before);
      next.metadata.deletionGracePeriodSeconds = grace;
      next.metadata.deletionTimestamp = nowTimestamp(
        () => new Date(this.clock().getTime() + grace * 1000),
      );
    } else {
      next.metadata.deletionGracePeriodSeconds = 0;
    }
    if (type.kind === 'Namespace')
      next.status = { ...(isJsonObject(next.status) ? next.status : {}), phase: 'Terminating' };
    return { kind: 'pending', object: this.store.update(type, ordered(next)) };
  }

  private podNeedsGrace(pod: KubeObject, gracePeriodSeconds: number | undefined): boolean {
    const scheduled =
      isJsonObject(pod.spec) && typeof pod.spec.nodeName === 'string' && pod.spec.nodeName !== '';
    if (!scheduled) return false;
    return (gracePeriodSeconds ?? podGrace(pod)) > 0;
  }

  /** Removes the object now, as the last step of graceful or finalized deletion. */
  completeDeletion(type: ResourceType, object: KubeObject): DeleteResult {
    const removed = this.removeNow(type, object);
    return {
      kind: 'deleted',
      object: removed,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name: object.metadata.name ?? '',
          ...groupOf(type.group),
          kind: type.plural,
          uid: object.metadata.uid ?? '',
        },
        code: 200,
      },
    };
  }

  private removeNow(type: ResourceType, object: KubeObject): KubeObject {
    const removed = this.store.remove(
      type,
      object.metadata.namespace ?? '',
      object.metadata.name ?? '',
    );
    releaseAllocations(type, object, this.allocators);
    return removed ?? object;
  }

  /** Removes a finalizer on behalf of a controller; the object goes once none are left. */
  removeFinalizer(type: ResourceType, object: KubeObject, finalizer: string): void {
    const current = this.tryGet(type, object.metadata.namespace ?? '', object.metadata.name ?? '');
    if (current === undefined) return;
    const next = clone(current);
    next.metadata.finalizers = (current.metadata.finalizers ?? []).filter(
      (item) => item !== finalizer,
    );
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.commitUpdate(
      type,
      current,
      next,
      { fieldManager: 'kube-controller-manager', dryRun: false },
      undefined,
    );
  }
}

function stripTimes(object: KubeObject): JsonValue {
  return (object.metadata.managedFields ?? []).map((entry) => ({ ...entry, time: '' }));
}

function podGrace(pod: KubeObject): number {
  const value = isJsonObject(pod.spec) ? pod.spec.terminationGracePeriodSeconds : undefined;
  return typeof value === 'number' ? value : 30;
}

function parseJson(raw: string): JsonValue {
  try {
    return JSON.parse(raw) as JsonValue;
  } catch (error) {
    throw badRequest(
      `error decoding patch: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function encodeContinue(start: number, revision: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start })).toString(
    'base64url',
  );
}

function decodeContinue(token: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (isJsonObject(decoded) && typeof decoded.start === 'number') {
      return decoded.start;
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}
