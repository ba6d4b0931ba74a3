import { ApiError, groupOf } from '../api-error.js';
import {
  removeKey,
  clone,
  isJsonObject,
  jsonEqual,
  type JsonObject,
  type JsonValue,
} from '../json.js';
import type { KubeObject, ManagedFieldsEntry } from '../objects.js';
import { apiVersionOf, type ResourceType } from '../resource-types.js';
import {
  decodePath,
  encodePath,
  fieldSetOf,
  formatPath,
  fromFieldsV1,
  itemKey,
  toFieldsV1,
  valueAtPath,
  type FieldPath,
  type FieldSet,
  type Scope,
} from './field-set.js';
import { listKindAt } from './list-kinds.js';

interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource: string | undefined;
  time: string;
  apiVersion: string;
  fields: FieldSet;
}

function sameManager(
  entry: Manager,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource: string | undefined,
): boolean {
  return (
    entry.manager === manager && entry.operation === operation && entry.subresource === subresource
  );
}

function readManagers(object: KubeObject | undefined): Manager[] {
  return (object?.metadata.managedFields ?? []).map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    subresource: entry.subresource,
    time: entry.time,
    apiVersion: entry.apiVersion,
    fields: fromFieldsV1(entry.fieldsV1),
  }));
}

function writeManagers(managers: readonly Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((entry) => entry.fields.size > 0)
    .map((entry) => {
      const written: ManagedFieldsEntry = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
        time: entry.time,
        fieldsType: 'FieldsV1',
        fieldsV1: toFieldsV1(entry.fields),
      };
      if (entry.subresource !== undefined) written.subresource = entry.subresource;
      return written;
    });
}

function scopeOf(subresource: string | undefined): Scope {
  return subresource === 'status' ? 'status' : 'main';
}

/** Merges an apply configuration into the live object: map lists by key, sets by value, atomics replaced. */
function mergeApplied(
  type: ResourceType,
  live: JsonValue | undefined,
  applied: JsonValue,
  names: readonly string[],
): JsonValue {
  if (isJsonObject(applied)) {
    const result: JsonObject = isJsonObject(live) ? clone(live) : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === undefined) continue;
      result[key] = mergeApplied(type, result[key], value, [...names, key]);
    }
    return result;
  }
  if (Array.isArray(applied)) {
    const kind = listKindAt(type, names);
    const current = Array.isArray(live) ? live : [];
    if (kind.type === 'set') {
      const result = [...current];
      for (const item of applied)
        if (!result.some((existing) => jsonEqual(existing, item))) result.push(clone(item));
      return result;
    }
    if (kind.type === 'map' && applied.every(isJsonObject)) {
      const result = current.map((item) => clone(item));
      for (const item of applied) {
        const key = itemKey(kind, item);
        const index = result.findIndex(
          (existing) => isJsonObject(existing) && itemKey(kind, existing) === key,
        );
        if (index === -1) result.push(mergeApplied(type, undefined, item, names));
        else result[index] = mergeApplied(type, result[index], item, names);
      }
      return result;
    }
    return clone(applied);
  }
  return applied;
}

/** Deletes what one path points at; a `.` path removes the whole list item. */
function removePath(type: ResourceType, root: JsonObject, path: FieldPath): void {
  const last = path[path.length - 1] === '.' ? path.length - 2 : path.length - 1;
  const names: string[] = [];
  let parent: JsonValue | undefined = root;
  for (let index = 0; index < last; index += 1) {
    const element = path[index] ?? '';
    parent = valueAtPath(type, parent, [element], names);
    if (element.startsWith('f:')) names.push(element.slice(2));
    if (parent === undefined) return;
  }
  const element = path[last] ?? '';
  if (element.startsWith('f:') && isJsonObject(parent)) {
    removeKey(parent, element.slice(2));
  } else if (Array.isArray(parent)) {
    const kind = listKindAt(type, names);
    const index = parent.findIndex((item) =>
      element.startsWith('k:')
        ? kind.type === 'map' && isJsonObject(item) && itemKey(kind, item) === element
        : jsonEqual(item, JSON.parse(element.slice(2)) as JsonValue),
    );
    if (index !== -1) parent.splice(index, 1);
  }
}

function ownedByOthers(path: string, others: readonly Manager[]): boolean {
  const decoded = decodePath(path);
  if (decoded[decoded.length - 1] === '.') {
    // A list item stays while another manager owns any field inside it.
    const prefix = encodePath(decoded.slice(0, -1)).slice(0, -1);
    return others.some((entry) => [...entry.fields].some((owned) => owned.startsWith(prefix)));
  }
  return others.some((entry) => entry.fields.has(path));
}

export interface ApplyRequest {
  type: ResourceType;
  live: KubeObject | undefined;
  applied: JsonObject;
  manager: string;
  force: boolean;
  subresource: string | undefined;
  now: string;
}

/**
 * Server-side apply: the manager comes to own exactly the fields it applied; fields it applied
 * before and left out now are removed unless another manager owns them; changing a field another
 * manager owns is a 409 conflict unless `force` moves the ownership.
 */
export function serverSideApply(request: ApplyRequest): KubeObject {
  const { type, live, applied, manager, force, subresource, now } = request;
  const scope = scopeOf(subresource);
  const managers = readManagers(live);
  const previous = managers.find((entry) => sameManager(entry, manager, 'Apply', subresource));
  const others = managers.filter((entry) => entry !== previous);
  const applying = fieldSetOf(type, applied, scope);

  const conflicts: { path: string; owner: Manager }[] = [];
  for (const path of applying) {
    const decoded = decodePath(path);
    if (decoded[decoded.length - 1] === '.') continue;
    const differs = !jsonEqual(
      valueAtPath(type, live, decoded),
      valueAtPath(type, applied, decoded),
    );
    if (!differs) continue;
    for (const owner of others) if (owner.fields.has(path)) conflicts.push({ path, owner });
  }
  if (conflicts.length > 0 && !force) throw applyConflict(type, conflicts);
  for (const { path, owner } of conflicts) owner.fields.delete(path);

  const base: JsonObject = live === undefined ? {} : clone(live);
  delete base.metadata;
  const merged = mergeApplied(type, base, stripServerFields(applied, scope, type), []);
  if (!isJsonObject(merged)) throw new Error('apply produced a non-object');
  const appliedMetadata = scope === 'status' ? {} : (applied.metadata ?? {});
  const metadata = mergeApplied(
    type,
    live === undefined ? {} : clone(live.metadata),
    appliedMetadata,
    ['metadata'],
  );
  merged.metadata = isJsonObject(metadata) ? metadata : {};

  if (previous !== undefined) {
    const dropped = [...previous.fields]
      .filter((path) => !applying.has(path) && !ownedByOthers(path, others))
      .map(decodePath)
      // Whole list items first (their key fields are still there to find them), then deepest fields.
      .sort(
        (a, b) =>
          Number(b[b.length - 1] === '.') - Number(a[a.length - 1] === '.') || b.length - a.length,
      );
    for (const path of dropped) removePath(type, merged, path);
  }

  const next: Manager = {
    manager,
    operation: 'Apply',
    subresource,
    time: now,
    apiVersion: apiVersionOf(type),
    fields: applying,
  };
  const result = merged as KubeObject;
  result.metadata.managedFields = writeManagers(
    previous === undefined
      ? [...others, next]
      : managers.map((entry) => (entry === previous ? next : entry)),
  );
  return result;
}

function stripServerFields(applied: JsonObject, scope: Scope, type: ResourceType): JsonObject {
  if (scope === 'status')
    return applied.status === undefined ? {} : { status: clone(applied.status) };
  const copy = clone(applied);
  delete copy.metadata;
  if (type.subresources.includes('status')) delete copy.status;
  return copy;
}

function applyConflict(
  type: ResourceType,
  conflicts: readonly { path: string; owner: Manager }[],
): ApiError {
  const describe = (owner: Manager): string =>
    `conflict with "${owner.manager}"${owner.subresource === undefined ? '' : ` with subresource "${owner.subresource}"`} using ${owner.apiVersion}`;
  const first = conflicts.at(0);
  const message =
    conflicts.length === 1 && first !== undefined
      ? `Apply failed with 1 conflict: ${describe(first.owner)}: ${formatPath(decodePath(first.path))}`
      : `Apply failed with ${conflicts.length} conflicts: ${conflicts
          .map(({ path, owner }) => `${describe(owner)}: ${formatPath(decodePath(path))}`)
          .join('\n')}`;
  return new ApiError(409, 'Conflict', message, {
    ...groupOf(type.group),
    kind: type.plural,
    causes: conflicts.map(({ path, owner }) => ({
      reason: 'FieldManagerConflict',
      message: describe(owner),
      field: formatPath(decodePath(path)),
    })),
  });
}

export interface UpdateRecord {
  type: ResourceType;
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  subresource: string | undefined;
  now: string;
}

/**
 * Ownership after a create, update or non-apply patch: the writer owns every field it changed,
 * other managers lose those fields, and fields that disappeared are owned by no one.
 */
export function recordUpdate(record: UpdateRecord): ManagedFieldsEntry[] {
  const { type, before, after, manager, subresource, now } = record;
  const scope = scopeOf(subresource);
  const managers = readManagers(before);
  const afterSet = fieldSetOf(type, after, scope);
  const beforeSet = before === undefined ? new Set<string>() : fieldSetOf(type, before, scope);
  const changed = new Set(
    [...afterSet].filter((path) => {
      if (!beforeSet.has(path)) return true;
      const decoded = decodePath(path);
      return !jsonEqual(valueAtPath(type, before, decoded), valueAtPath(type, after, decoded));
    }),
  );
  for (const entry of managers) {
    for (const path of [...entry.fields]) {
      if (changed.has(path) || (fieldSetScope(path, scope) && !afterSet.has(path)))
        entry.fields.delete(path);
    }
  }
  if (changed.size > 0) {
    const existing = managers.find((entry) => sameManager(entry, manager, 'Update', subresource));
    if (existing === undefined) {
      managers.push({
        manager,
        operation: 'Update',
        subresource,
        time: now,
        apiVersion: apiVersionOf(type),
        fields: changed,
      });
    } else {
      for (const path of changed) existing.fields.add(path);
      existing.time = now;
    }
  }
  return writeManagers(managers);
}

function fieldSetScope(path: string, scope: Scope): boolean {
  const isStatus = path.startsWith(encodePath(['f:status']).slice(0, -1));
  return scope === 'status' ? isStatus : !isStatus;
}
