import type { z } from 'zod';
import { describeFound, type ConfigProblem } from './config-error.js';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The keys a mapping at `path` may have, read from the schema, for "unknown key" messages. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let candidates: z.ZodType[] = [schema];
  const unwrap = (s: z.ZodType): z.ZodType[] => {
    const def = defOf(s);
    if (
      (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') &&
      def.innerType
    ) {
      return unwrap(def.innerType);
    }
    if (def.type === 'pipe' && def.in) return unwrap(def.in);
    if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
    return [s];
  };
  for (const key of path) {
    candidates = candidates.flatMap(unwrap).flatMap((s): z.ZodType[] => {
      const def = defOf(s);
      if (def.type === 'object' && def.shape && typeof key === 'string' && key in def.shape) {
        const next = def.shape[key];
        return next ? [next] : [];
      }
      if (def.type === 'record' && def.valueType) return [def.valueType];
      if (def.type === 'array' && def.element && typeof key === 'number') return [def.element];
      return [];
    });
  }
  return [
    ...new Set(
      candidates.flatMap(unwrap).flatMap((s) => {
        const def = defOf(s);
        return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
      }),
    ),
  ];
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(top level)';
}

/** Turns zod's issues into problems that say what was found and what is expected. */
export function problemsFromZod(
  schema: z.ZodType,
  input: unknown,
  issues: readonly Issue[],
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      return issue.keys.map((key) => ({
        key: dotted([...path, key]),
        found: 'an unknown key',
        expected: known.length > 0 ? `one of: ${known.join(', ')}` : 'no such key here',
      }));
    }
    const found = describeFound(valueAt(input, path));
    if (issue.code === 'invalid_type') {
      // zod's own wording starts "Invalid input"; a schema's custom message says more.
      const expected = issue.message.startsWith('Invalid input')
        ? (TYPE_NAMES[issue.expected] ?? issue.expected)
        : issue.message;
      return [{ key: dotted(path), found, expected }];
    }
    return [{ key: dotted(path), found, expected: issue.message }];
  });
}
