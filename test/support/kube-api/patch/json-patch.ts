import { ApiError, badRequest } from '../api-error.js';
import {
  removeKey,
  clone,
  isJsonObject,
  jsonEqual,
  type JsonObject,
  type JsonValue,
} from '../json.js';

/** One RFC 6902 operation. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** Rejects a body that is not a list of operations, with 400 as the API server does. */
export function decodeJsonPatch(body: JsonValue): JsonPatchOperation[] {
  if (!Array.isArray(body))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return body.map((entry) => {
    if (!isJsonObject(entry) || typeof entry.op !== 'string' || typeof entry.path !== 'string') {
      throw badRequest('invalid JSON patch operation: each operation needs "op" and "path"');
    }
    const { op, path } = entry;
    switch (op) {
      case 'add':
      case 'replace':
      case 'test':
        if (entry.value === undefined)
          throw badRequest(`missing value for ${op} operation at ${path}`);
        return { op, path, value: entry.value };
      case 'remove':
        return { op, path };
      case 'move':
      case 'copy':
        if (typeof entry.from !== 'string')
          throw badRequest(`missing from for ${op} operation at ${path}`);
        return { op, path, from: entry.from };
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  });
}

/** A failed operation is 422, as the API server words it with the patch library's error. */
function unprocessable(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | JsonValue[];

function resolveParent(
  root: JsonValue,
  tokens: readonly string[],
  pointer: string,
): { parent: Container; key: string } {
  let current: JsonValue | undefined = root;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = current[token];
    else current = undefined;
    if (current === undefined)
      throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  if (!Array.isArray(current) && !isJsonObject(current)) {
    throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return { parent: current, key: tokens[tokens.length - 1] ?? '' };
}

function arrayIndex(list: JsonValue[], key: string, pointer: string, allowEnd: boolean): number {
  if (key === '-' && allowEnd) return list.length;
  if (!/^\d+$/.test(key)) throw unprocessable(`invalid array index "${key}" in ${pointer}`);
  const index = Number(key);
  if (index > list.length || (!allowEnd && index === list.length)) {
    throw unprocessable(`array index out of bounds in ${pointer}`);
  }
  return index;
}

function read(root: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return root;
  const { parent, key } = resolveParent(root, tokens, pointer);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(parent, key, pointer, false)]
    : parent[key];
  if (value === undefined) throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  return value;
}

function add(root: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = resolveParent(root, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else parent[key] = value;
  return root;
}

function remove(root: JsonValue, pointer: string): JsonValue {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('cannot remove the whole document');
  const { parent, key } = resolveParent(root, tokens, pointer);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(parent, key, pointer, false), 1);
  } else {
    if (parent[key] === undefined)
      throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    removeKey(parent, key);
  }
  return root;
}

/** Applies the operations in order to a copy; the original is left untouched. */
export function applyJsonPatch(
  target: JsonValue,
  operations: readonly JsonPatchOperation[],
): JsonValue {
  let document = clone(target);
  for (const operation of operations) {
    switch (operation.op) {
      case 'add':
        document = add(document, operation.path, clone(operation.value));
        break;
      case 'remove':
        document = remove(document, operation.path);
        break;
      case 'replace':
        read(document, operation.path);
        if (operation.path === '') {
          document = clone(operation.value);
          break;
        }
        document = add(remove(document, operation.path), operation.path, clone(operation.value));
        break;
      case 'move': {
        const value = read(document, operation.from);
        document = add(remove(document, operation.from), operation.path, value);
        break;
      }
      case 'copy':
        document = add(document, operation.path, clone(read(document, operation.from)));
        break;
      case 'test':
        if (!jsonEqual(read(document, operation.path), operation.value)) {
          throw unprocessable(`testing value ${operation.path} failed: test failed`);
        }
        break;
    }
  }
  return document;
}
