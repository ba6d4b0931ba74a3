import { badRequest } from '../api-error.js';
import {
  removeKey,
  clone,
  isJsonObject,
  jsonEqual,
  type JsonObject,
  type JsonValue,
} from '../json.js';
import type { ResourceType } from '../resource-types.js';
import { listKindAt } from './list-kinds.js';

const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';
const PATCH = '$patch';

/**
 * Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch applies it: maps merge,
 * `null` deletes, lists with a patch merge key merge item by item, `$patch: replace|delete`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and `$retainKeys` directives.
 * That is what helm's client-side three-way merge sends.
 */
export function applyStrategicMergePatch(
  type: ResourceType,
  original: JsonObject,
  patch: JsonObject,
): JsonObject {
  const merged = mergeMap(type, original, patch, []);
  if (merged === undefined)
    throw badRequest('a strategic merge patch cannot delete the whole object');
  return merged;
}

function mergeMap(
  type: ResourceType,
  original: JsonObject | undefined,
  patch: JsonObject,
  path: readonly string[],
): JsonObject | undefined {
  const directive = patch[PATCH];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const replacement = clone(patch);
    removeKey(replacement, PATCH);
    return stripDirectives(replacement);
  }
  if (directive !== undefined && directive !== 'merge')
    throw badRequest(`Unknown patch type: ${JSON.stringify(directive)}`);

  const result: JsonObject = original === undefined ? {} : clone(original);
  const orders: [string, JsonValue[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === PATCH) continue;
    if (key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ELEMENT_ORDER)) {
      if (!Array.isArray(value)) throw badRequest(`invalid value for ${key}: must be a list`);
      orders.push([key.slice(SET_ELEMENT_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      const current = result[field];
      if (Array.isArray(value) && Array.isArray(current)) {
        result[field] = current.filter(
          (item) => !value.some((removed) => jsonEqual(removed, item)),
        );
      }
      continue;
    }
    if (key.startsWith('$')) throw badRequest(`unknown strategic merge patch directive ${key}`);
    const fieldPath = [...path, key];
    if (value === null) {
      removeKey(result, key);
    } else if (Array.isArray(value)) {
      result[key] = mergeList(type, result[key], value, fieldPath);
    } else if (isJsonObject(value)) {
      const current = result[key];
      const merged = mergeMap(type, isJsonObject(current) ? current : undefined, value, fieldPath);
      if (merged === undefined) removeKey(result, key);
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const current = result[field];
    if (Array.isArray(current))
      result[field] = applyElementOrder(type, current, order, [...path, field]);
  }
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) {
      if (!retain.includes(key)) removeKey(result, key);
    }
  }
  return result;
}

function stripDirectives(value: JsonObject): JsonObject {
  for (const key of Object.keys(value)) {
    if (key.startsWith('$')) removeKey(value, key);
  }
  return value;
}

function keyOf(item: JsonValue, mergeKey: string): JsonValue | undefined {
  return isJsonObject(item) ? item[mergeKey] : undefined;
}

function mergeList(
  type: ResourceType,
  original: JsonValue | undefined,
  patch: JsonValue[],
  path: readonly string[],
): JsonValue[] {
  const kind = listKindAt(type, path);
  const current = Array.isArray(original) ? original : [];
  const replaceAll = patch.some((item) => isJsonObject(item) && item[PATCH] === 'replace');
  if (replaceAll) {
    return patch
      .filter((item) => !(isJsonObject(item) && item[PATCH] === 'replace'))
      .map((item) => clone(item));
  }
  if (kind.type === 'atomic') return clone(patch);
  if (kind.type === 'set') {
    const result = [...current];
    for (const item of patch) {
      if (!result.some((existing) => jsonEqual(existing, item))) result.push(clone(item));
    }
    return result;
  }
  const result = current.map((item) => clone(item));
  for (const item of patch) {
    if (!isJsonObject(item))
      throw badRequest(
        `${path.join('.')}: list items must be objects to merge by ${kind.mergeKey}`,
      );
    const key = item[kind.mergeKey];
    if (key === undefined)
      throw badRequest(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${kind.mergeKey}`,
      );
    const index = result.findIndex((existing) => jsonEqual(keyOf(existing, kind.mergeKey), key));
    if (item[PATCH] === 'delete') {
      if (index !== -1) result.splice(index, 1);
      continue;
    }
    if (index === -1) {
      const added = mergeMap(type, undefined, item, path);
      if (added !== undefined) result.push(added);
    } else {
      const existing = result[index];
      const merged = mergeMap(type, isJsonObject(existing) ? existing : undefined, item, path);
      if (merged === undefined) result.splice(index, 1);
      else result[index] = merged;
    }
  }
  return result;
}

/** Orders a merged list as `$setElementOrder` says; items it does not name keep their place after. */
function applyElementOrder(
  type: ResourceType,
  list: JsonValue[],
  order: JsonValue[],
  path: readonly string[],
): JsonValue[] {
  const kind = listKindAt(type, path);
  const identity = (item: JsonValue): JsonValue | undefined =>
    kind.type === 'map' ? keyOf(item, kind.mergeKey) : item;
  const orderKeys = order.map((entry) =>
    kind.type === 'map' ? keyOf(entry, kind.mergeKey) : entry,
  );
  const position = (item: JsonValue): number => {
    const index = orderKeys.findIndex((key) => jsonEqual(key, identity(item)));
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return list
    .map((item, index) => ({ item, index }))
    .sort((a, b) => position(a.item) - position(b.item) || a.index - b.index)
    .map(({ item }) => item);
}
