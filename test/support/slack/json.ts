/** JSON values as they travel over the wire to and from the double. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object as read: a key may be absent, hence `undefined`. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectField(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isJsonObject(value) ? value : undefined;
}

export function arrayField(object: JsonObject, key: string): JsonValue[] | undefined {
  const value = object[key];
  return Array.isArray(value) ? value : undefined;
}

/** Parses JSON text without letting `any` escape. */
export function parseJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}

/** Slack counts characters, not UTF-16 code units. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}
