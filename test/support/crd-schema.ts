import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './paths.js';

/**
 * Validates custom resources (KEDA's ScaledObject, TriggerAuthentication) against the
 * openAPIV3Schema of their real CustomResourceDefinitions, kept in test/fixtures/crds/ (copied from
 * the project's release, see the README there), the way the API server does with
 * fieldValidation=Strict (what helm v4 sends): types, required fields, enums, minimums, patterns,
 * int-or-string, and unknown fields. CEL rules (x-kubernetes-validations) are not evaluated.
 */

export interface OpenApiSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  pattern?: string;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

interface CrdDocument {
  kind?: string;
  spec?: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema: OpenApiSchema } }[];
  };
}

const CRD_DIR = join(repoRoot, 'test', 'fixtures', 'crds');

let loaded: Map<string, OpenApiSchema> | undefined;

/** "group/version Kind" → its schema, from every CRD in test/fixtures/crds. */
function crdSchemas(): Map<string, OpenApiSchema> {
  if (loaded) return loaded;
  loaded = new Map();
  for (const file of readdirSync(CRD_DIR).filter((name) => name.endsWith('.yaml'))) {
    for (const document of parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8'))) {
      const crd = document.toJS() as CrdDocument | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const version of crd.spec.versions) {
        if (!version.schema) continue;
        const key = `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`;
        loaded.set(key, version.schema.openAPIV3Schema);
      }
    }
  }
  return loaded;
}

/** The CRD schema for "apiVersion kind", if test/fixtures/crds has one. */
export function crdSchema(apiVersion: string, kind: string): OpenApiSchema | undefined {
  return crdSchemas().get(`${apiVersion} ${kind}`);
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeProblems(schema: OpenApiSchema, value: unknown, path: string): string[] {
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    return actual === 'integer' || actual === 'string'
      ? []
      : [`${path}: got ${actual}, want integer or string`];
  }
  if (!schema.type) return [];
  const fits = actual === schema.type || (schema.type === 'number' && actual === 'integer');
  return fits ? [] : [`${path}: got ${actual}, want ${schema.type}`];
}

function scalarProblems(schema: OpenApiSchema, value: unknown, path: string): string[] {
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) {
    problems.push(`${path}: ${value} is less than the minimum ${schema.minimum}`);
  }
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  return problems;
}

function objectProblems(schema: OpenApiSchema, value: Record<string, unknown>, path: string) {
  const problems: string[] = [];
  for (const field of schema.required ?? []) {
    if (!(field in value)) problems.push(`${path}/${field}: required`);
  }
  const { properties, additionalProperties } = schema;
  for (const [key, item] of Object.entries(value)) {
    const property = properties?.[key];
    if (property) problems.push(...schemaProblems(property, item, `${path}/${key}`));
    else if (typeof additionalProperties === 'object') {
      problems.push(...schemaProblems(additionalProperties, item, `${path}/${key}`));
    } else if (
      properties &&
      additionalProperties !== true &&
      !schema['x-kubernetes-preserve-unknown-fields']
    ) {
      problems.push(`${path}/${key}: unknown field "${key}"`);
    }
  }
  return problems;
}

/** Everything in `value` that `schema` refuses, as "path: problem" lines. */
export function schemaProblems(schema: OpenApiSchema, value: unknown, path = ''): string[] {
  const typing = typeProblems(schema, value, path || '/');
  if (typing.length > 0) return typing;
  const problems = scalarProblems(schema, value, path || '/');
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, index) =>
      problems.push(...schemaProblems(items, item, `${path}/${index}`)),
    );
  } else if (typeOf(value) === 'object') {
    problems.push(...objectProblems(schema, value as Record<string, unknown>, path));
  }
  return problems;
}
