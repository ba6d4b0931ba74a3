import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import type { ResourceType } from '../resource-types.js';
import { listKindAt, type ListKind } from './list-kinds.js';

/**
 * A field path as managedFields' FieldsV1 spells its elements:
 * `f:<field>`, `k:<key JSON>` for an item of a map list, `v:<value JSON>` for a set item,
 * and `.` for the list item itself.
 */
export type FieldPath = readonly string[];

/** Paths are kept as their JSON text so that sets compare by value. */
export type FieldSet = Set<string>;

export const encodePath = (path: FieldPath): string => JSON.stringify(path);
export const decodePath = (text: string): FieldPath => JSON.parse(text) as string[];

/** Which part of the object a write may touch: the main resource leaves status alone, /status the reverse. */
export type Scope = 'main' | 'status';

const SERVER_OWNED_METADATA = new Set([
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function topLevelKeys(type: ResourceType, object: JsonObject, scope: Scope): string[] {
  return Object.keys(object).filter((key) => {
    if (key === 'apiVersion' || key === 'kind' || object[key] === undefined) return false;
    if (scope === 'status') return key === 'status';
    return !(key === 'status' && type.subresources.includes('status'));
  });
}

export function itemKey(kind: Extract<ListKind, { type: 'map' }>, item: JsonObject): string {
  const key: JsonObject = {};
  for (const field of [...kind.keys].sort()) {
    const value = item[field] ?? kind.keyDefaults?.[field];
    if (value !== undefined) key[field] = value;
  }
  return `k:${JSON.stringify(key)}`;
}

/** Every leaf path the object sets: what a manager comes to own by writing it. */
export function fieldSetOf(type: ResourceType, object: JsonObject, scope: Scope): FieldSet {
  const set: FieldSet = new Set();
  const walk = (value: JsonValue | undefined, names: readonly string[], path: FieldPath): void => {
    if (value === undefined) return;
    if (isJsonObject(value)) {
      const keys = Object.keys(value).filter((key) => value[key] !== undefined);
      if (keys.length === 0) set.add(encodePath(path));
      for (const key of keys) walk(value[key], [...names, key], [...path, `f:${key}`]);
      return;
    }
    if (Array.isArray(value)) {
      const kind = listKindAt(type, names);
      if (kind.type === 'map' && value.every(isJsonObject)) {
        for (const item of value) {
          const element = itemKey(kind, item);
          set.add(encodePath([...path, element, '.']));
          for (const [field, fieldValue] of Object.entries(item)) {
            walk(fieldValue, [...names, field], [...path, element, `f:${field}`]);
          }
        }
      } else if (kind.type === 'set') {
        for (const item of value) set.add(encodePath([...path, `v:${JSON.stringify(item)}`]));
      } else {
        set.add(encodePath(path));
      }
      return;
    }
    set.add(encodePath(path));
  };
  for (const key of topLevelKeys(type, object, scope)) {
    const value = object[key];
    if (key === 'metadata' && isJsonObject(value)) {
      for (const [field, fieldValue] of Object.entries(value)) {
        if (!SERVER_OWNED_METADATA.has(field))
          walk(fieldValue, ['metadata', field], ['f:metadata', `f:${field}`]);
      }
    } else {
      walk(value, [key], [`f:${key}`]);
    }
  }
  return set;
}

/** The value a path points at, or undefined; `.` answers the list item itself. */
export function valueAtPath(
  type: ResourceType,
  root: JsonValue | undefined,
  path: FieldPath,
  parentNames: readonly string[] = [],
): JsonValue | undefined {
  let current = root;
  const names: string[] = [...parentNames];
  for (const element of path) {
    if (current === undefined) return undefined;
    if (element === '.') continue;
    if (element.startsWith('f:')) {
      const field = element.slice(2);
      names.push(field);
      current = isJsonObject(current) ? current[field] : undefined;
    } else if (element.startsWith('k:')) {
      const kind = listKindAt(type, names);
      if (!Array.isArray(current) || kind.type !== 'map') return undefined;
      current = current.find((item) => isJsonObject(item) && itemKey(kind, item) === element);
    } else if (element.startsWith('v:')) {
      const wanted = JSON.parse(element.slice(2)) as JsonValue;
      current = Array.isArray(current)
        ? current.find((item) => jsonEqual(item, wanted))
        : undefined;
    }
  }
  return current;
}

/** Renders a path as the API server does in conflict messages: `.spec.containers[name="web"].image`. */
export function formatPath(path: FieldPath): string {
  return path
    .map((element) => {
      if (element === '.') return '';
      if (element.startsWith('f:')) return `.${element.slice(2)}`;
      if (element.startsWith('k:')) {
        const key = JSON.parse(element.slice(2)) as JsonObject;
        return `[${Object.entries(key)
          .map(([field, value]) => `${field}=${JSON.stringify(value)}`)
          .join(',')}]`;
      }
      return `[=${element.slice(2)}]`;
    })
    .join('');
}

/** FieldsV1 is the set as a tree: {"f:spec":{"f:replicas":{}}}. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {};
  for (const text of [...set].sort()) {
    let node = root;
    for (const element of decodePath(text)) {
      const next = node[element];
      if (isJsonObject(next)) {
        node = next;
      } else {
        const created: JsonObject = {};
        node[element] = created;
        node = created;
      }
    }
  }
  return root;
}

export function fromFieldsV1(tree: JsonObject): FieldSet {
  const set: FieldSet = new Set();
  const walk = (node: JsonObject, path: FieldPath): void => {
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) set.add(encodePath(path));
    for (const key of keys) {
      const next = node[key];
      if (isJsonObject(next)) walk(next, [...path, key]);
    }
  };
  walk(tree, []);
  return set;
}
