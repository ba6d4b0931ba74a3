import { removeKey, clone, isJsonObject, type JsonValue } from '../json.js';

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else (lists too) replaces. */
export function applyJsonMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return clone(patch);
  const result = isJsonObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      removeKey(result, key);
    } else {
      result[key] = applyJsonMergePatch(result[key], value);
    }
  }
  return result;
}
