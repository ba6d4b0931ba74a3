import { badRequest } from './api-error.js';
import { isJsonObject, type JsonValue } from './json.js';

/** One requirement of a label selector, as k8s.io/apimachinery/pkg/labels parses it. */
export type LabelRequirement =
  | { key: string; operator: 'exists' | 'notexists' }
  | { key: string; operator: 'in' | 'notin'; values: readonly string[] }
  | { key: string; operator: 'gt' | 'lt'; value: number };

export type LabelSelector = readonly LabelRequirement[];

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalidRequirement(detail: string): never {
  throw badRequest(`unable to parse requirement: ${detail}`);
}

export function validateLabelKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    invalidRequirement(
      `<nil>: Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`,
    );
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    invalidRequirement(
      `<nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

export function validateLabelValue(value: string): void {
  if (value.length > 63 || (value.length > 0 && !NAME_PART.test(value))) {
    invalidRequirement(
      `values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Splits on commas that are outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (depth !== 0) throw badRequest(`unable to parse requirement: found '${text}', expected: ')'`);
  parts.push(current);
  return parts;
}

function parseSet(text: string, whole: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('(') || !trimmed.endsWith(')')) {
    throw badRequest(`unable to parse requirement: found '${whole}', expected: '('`);
  }
  const inner = trimmed.slice(1, -1).trim();
  const values = inner === '' ? [] : inner.split(',').map((value) => value.trim());
  for (const value of values) validateLabelValue(value);
  return values;
}

function parseRequirement(raw: string): LabelRequirement {
  const text = raw.trim();
  if (text === '') invalidRequirement(`found '', expected: identifier`);
  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    validateLabelKey(key);
    return { key, operator: 'notexists' };
  }
  const setMatch = /^(\S+)\s+(in|notin)\s*(\(.*\))$/.exec(text);
  if (setMatch) {
    const [, key = '', operator = '', set = ''] = setMatch;
    validateLabelKey(key);
    const values = parseSet(set, text);
    if (values.length === 0)
      invalidRequirement(
        `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`,
      );
    return { key, operator: operator === 'in' ? 'in' : 'notin', values };
  }
  const comparison = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (comparison) {
    const [, key = '', operator = '', value = ''] = comparison;
    validateLabelKey(key);
    const trimmedValue = value.trim();
    if (operator === '>' || operator === '<') {
      const number = Number(trimmedValue);
      if (!/^-?\d+$/.test(trimmedValue) || !Number.isSafeInteger(number)) {
        invalidRequirement(
          `values[0]: Invalid value: "${trimmedValue}": for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
      return { key, operator: operator === '>' ? 'gt' : 'lt', value: number };
    }
    validateLabelValue(trimmedValue);
    return { key, operator: operator === '!=' ? 'notin' : 'in', values: [trimmedValue] };
  }
  if (/\s/.test(text))
    invalidRequirement(`found '${text}', expected: in, notin, =, ==, !=, gt, lt`);
  validateLabelKey(text);
  return { key: text, operator: 'exists' };
}

/** Parses the `labelSelector` query parameter; an empty string selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  if (text.trim() === '') return [];
  return splitRequirements(text).map(parseRequirement);
}

export function matchesLabels(
  selector: LabelSelector,
  labels: Readonly<Partial<Record<string, string>>>,
): boolean {
  return selector.every((requirement) => {
    const present = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key];
    switch (requirement.operator) {
      case 'exists':
        return present;
      case 'notexists':
        return !present;
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      case 'notin':
        return value === undefined || !requirement.values.includes(value);
      case 'gt':
      case 'lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        const number = Number(value);
        return requirement.operator === 'gt'
          ? number > requirement.value
          : number < requirement.value;
      }
    }
  });
}

/** Renders a selector back to the query form, as client-go's Selector.String() does (sorted by key). */
export function formatLabelSelector(selector: LabelSelector): string {
  return [...selector]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((requirement) => {
      switch (requirement.operator) {
        case 'exists':
          return requirement.key;
        case 'notexists':
          return `!${requirement.key}`;
        case 'in':
          return requirement.values.length === 1
            ? `${requirement.key}=${requirement.values[0] ?? ''}`
            : `${requirement.key} in (${[...requirement.values].sort().join(',')})`;
        case 'notin':
          return requirement.values.length === 1
            ? `${requirement.key}!=${requirement.values[0] ?? ''}`
            : `${requirement.key} notin (${[...requirement.values].sort().join(',')})`;
        case 'gt':
          return `${requirement.key}>${requirement.value}`;
        case 'lt':
          return `${requirement.key}<${requirement.value}`;
      }
    })
    .join(',');
}

/**
 * Converts a metav1.LabelSelector (matchLabels, matchExpressions) as Deployments carry it.
 * An absent selector selects nothing, as for a Service with no selector; `{}` selects everything.
 */
export function labelSelectorFromObject(value: JsonValue | undefined): LabelSelector | undefined {
  if (!isJsonObject(value)) return undefined;
  const requirements: LabelRequirement[] = [];
  const matchLabels = value.matchLabels;
  if (isJsonObject(matchLabels)) {
    for (const [key, labelValue] of Object.entries(matchLabels)) {
      if (typeof labelValue === 'string')
        requirements.push({ key, operator: 'in', values: [labelValue] });
    }
  }
  const expressions = value.matchExpressions;
  if (Array.isArray(expressions)) {
    for (const expression of expressions) {
      if (!isJsonObject(expression) || typeof expression.key !== 'string') continue;
      const values = Array.isArray(expression.values)
        ? expression.values.filter((item): item is string => typeof item === 'string')
        : [];
      switch (expression.operator) {
        case 'In':
          requirements.push({ key: expression.key, operator: 'in', values });
          break;
        case 'NotIn':
          requirements.push({ key: expression.key, operator: 'notin', values });
          break;
        case 'Exists':
          requirements.push({ key: expression.key, operator: 'exists' });
          break;
        case 'DoesNotExist':
          requirements.push({ key: expression.key, operator: 'notexists' });
          break;
        default:
          break;
      }
    }
  }
  return requirements;
}

/** A selector made of plain key=value pairs, as a Service's spec.selector is. */
export function labelSelectorFromMap(map: Readonly<Record<string, string>>): LabelSelector {
  return Object.entries(map).map(([key, value]) => ({ key, operator: 'in', values: [value] }));
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export type FieldSelector = readonly FieldRequirement[];

/** Splits on a separator that is not escaped with a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    if (character === '\\' && index + 1 < text.length) {
      current += character + (text[index + 1] ?? '');
      index += 1;
    } else if (character === separator) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeFieldValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Parses the `fieldSelector` query parameter: `a=b`, `a==b`, `a!=b`, joined by commas. */
export function parseFieldSelector(text: string): FieldSelector {
  if (text.trim() === '') return [];
  return splitUnescaped(text, ',').map((part) => {
    const match = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/s.exec(part.trim());
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [, field = '', operator = '', value = ''] = match;
    return {
      field: field.trim(),
      operator: operator === '!=' ? '!=' : '=',
      value: unescapeFieldValue(value),
    };
  });
}

export function matchesFields(
  selector: FieldSelector,
  read: (field: string) => string | undefined,
): boolean {
  return selector.every((requirement) => {
    const actual = read(requirement.field) ?? '';
    return requirement.operator === '='
      ? actual === requirement.value
      : actual !== requirement.value;
  });
}
