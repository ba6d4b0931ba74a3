/** JSON values as the API server reads and writes them, with small helpers to walk them without `any`. */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** `undefined` is allowed so that typed views with optional fields stay assignable; JSON drops it. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Structural equality; a key holding `undefined` counts as absent. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}

/** Removes keys holding `undefined`, recursively, so stored objects are plain JSON. */
export function compact<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Deletes one key of a JSON object (a computed key, so `delete` would need a lint exception). */
export function removeKey(object: JsonObject, key: string): void {
  Reflect.deleteProperty(object, key);
}

export function child(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return isJsonObject(value) ? value[key] : undefined;
}

export function pathValue(
  value: JsonValue | undefined,
  path: readonly string[],
): JsonValue | undefined {
  let current = value;
  for (const key of path) current = child(current, key);
  return current;
}

export function objectAt(value: JsonValue | undefined, ...path: string[]): JsonObject | undefined {
  const found = pathValue(value, path);
  return isJsonObject(found) ? found : undefined;
}

export function arrayAt(value: JsonValue | undefined, ...path: string[]): JsonValue[] {
  const found = pathValue(value, path);
  return Array.isArray(found) ? found : [];
}

export function objectsAt(value: JsonValue | undefined, ...path: string[]): JsonObject[] {
  return arrayAt(value, ...path).filter(isJsonObject);
}

export function stringAt(value: JsonValue | undefined, ...path: string[]): string | undefined {
  const found = pathValue(value, path);
  return typeof found === 'string' ? found : undefined;
}

export function numberAt(value: JsonValue | undefined, ...path: string[]): number | undefined {
  const found = pathValue(value, path);
  return typeof found === 'number' ? found : undefined;
}

export function booleanAt(value: JsonValue | undefined, ...path: string[]): boolean | undefined {
  const found = pathValue(value, path);
  return typeof found === 'boolean' ? found : undefined;
}

/** Reads a string map such as labels; non-string values are skipped. */
export function stringMapAt(
  value: JsonValue | undefined,
  ...path: string[]
): Record<string, string> {
  const found = objectAt(value, ...path) ?? {};
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(found)) {
    if (typeof item === 'string') result[key] = item;
  }
  return result;
}

/** Returns the object at `path`, creating empty objects on the way. */
export function ensureObject(root: JsonObject, ...path: string[]): JsonObject {
  let current = root;
  for (const key of path) {
    const next = current[key];
    if (isJsonObject(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    }
  }
  return current;
}
