import type { FieldError } from './api-error.js';
import {
  arrayAt,
  isJsonObject,
  jsonEqual,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
  type JsonObject,
  type JsonValue,
} from './json.js';
import type { KubeObject } from './objects.js';
import type { ResourceType } from './resource-types.js';
import {
  labelSelectorFromObject,
  matchesLabels,
  validateLabelKey,
  validateLabelValue,
} from './selectors.js';
import { ApiError } from './api-error.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_HINT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_HINT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_HINT =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function required(field: string, detail = ''): FieldError {
  return {
    type: 'FieldValueRequired',
    field,
    detail: detail === '' ? 'Required value' : `Required value: ${detail}`,
  };
}

function invalidValue(field: string, value: JsonValue | undefined, detail: string): FieldError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${shown}: ${detail}` };
}

function unsupported(field: string, value: string, supported: readonly string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    detail: `Unsupported value: "${value}": supported values: ${supported.map((item) => `"${item}"`).join(', ')}`,
  };
}

function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, detail: `Forbidden: ${detail}` };
}

type NameRule = 'subdomain' | 'label' | 'dns1035';

function nameRule(type: ResourceType): NameRule {
  if (type.kind === 'Namespace') return 'label';
  if (type.kind === 'Service') return 'dns1035';
  return 'subdomain';
}

function checkName(name: string, rule: NameRule, field: string): FieldError[] {
  const pattern =
    rule === 'label' ? DNS1123_LABEL : rule === 'dns1035' ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
  const hint = rule === 'label' ? LABEL_HINT : rule === 'dns1035' ? DNS1035_HINT : SUBDOMAIN_HINT;
  const limit = rule === 'subdomain' ? 253 : 63;
  const errors: FieldError[] = [];
  if (!pattern.test(name)) errors.push(invalidValue(field, name, hint));
  if (name.length > limit)
    errors.push(invalidValue(field, name, `must be no more than ${limit} characters`));
  return errors;
}

function labelErrors(map: JsonObject | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(map ?? {})) {
    try {
      validateLabelKey(key);
      if (typeof value !== 'string') throw new Error('label values must be strings');
      validateLabelValue(value);
    } catch (error) {
      const detail =
        error instanceof ApiError
          ? error.message.replace(/^unable to parse requirement: /, '')
          : String(error);
      errors.push(invalidValue(field, key, detail));
    }
  }
  return errors;
}

function metadataErrors(type: ResourceType, object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = object.metadata.name;
  if (name === undefined || name === '')
    errors.push(required('metadata.name', 'name or generateName is required'));
  else errors.push(...checkName(name, nameRule(type), 'metadata.name'));
  errors.push(...labelErrors(object.metadata.labels, 'metadata.labels'));
  return errors;
}

function portErrors(value: number | undefined, field: string): FieldError[] {
  if (value === undefined) return [required(field)];
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    return [invalidValue(field, value, 'must be between 1 and 65535, inclusive')];
  }
  return [];
}

function containerErrors(containers: JsonValue[], field: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((container, index) => {
    const at = `${field}[${index}]`;
    const name = stringAt(container, 'name');
    if (name === undefined || name === '') errors.push(required(`${at}.name`));
    else {
      errors.push(...checkName(name, 'label', `${at}.name`));
      if (seen.has(name))
        errors.push({
          type: 'FieldValueDuplicate',
          field: `${at}.name`,
          detail: `Duplicate value: "${name}"`,
        });
      seen.add(name);
    }
    const image = stringAt(container, 'image');
    if (image === undefined || image.trim() === '') errors.push(required(`${at}.image`));
    objectsAt(container, 'ports').forEach((port, portIndex) => {
      errors.push(
        ...portErrors(numberAt(port, 'containerPort'), `${at}.ports[${portIndex}].containerPort`),
      );
      const protocol = stringAt(port, 'protocol');
      if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(protocol)) {
        errors.push(
          unsupported(`${at}.ports[${portIndex}].protocol`, protocol, ['SCTP', 'TCP', 'UDP']),
        );
      }
    });
    objectsAt(container, 'env').forEach((variable, envIndex) => {
      const envName = stringAt(variable, 'name');
      if (envName === undefined || envName === '')
        errors.push(required(`${at}.env[${envIndex}].name`));
    });
  });
  return errors;
}

function podSpecErrors(
  spec: JsonObject | undefined,
  field: string,
  restartPolicies: readonly string[],
): FieldError[] {
  const containers = arrayAt(spec, 'containers');
  const errors: FieldError[] = [];
  if (containers.length === 0) errors.push(required(`${field}.containers`));
  errors.push(...containerErrors(containers, `${field}.containers`));
  const restartPolicy = stringAt(spec, 'restartPolicy');
  if (restartPolicy !== undefined && !restartPolicies.includes(restartPolicy)) {
    errors.push(unsupported(`${field}.restartPolicy`, restartPolicy, restartPolicies));
  }
  return errors;
}

function workloadErrors(object: KubeObject, emptySelectorMessage: string): FieldError[] {
  const errors: FieldError[] = [];
  const replicas = numberAt(object, 'spec', 'replicas');
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
    errors.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  const selectorValue = objectAt(object, 'spec', 'selector');
  const selector = labelSelectorFromObject(selectorValue);
  if (selectorValue === undefined || selector === undefined) {
    errors.push(required('spec.selector'));
  } else if (selector.length === 0) {
    errors.push(invalidValue('spec.selector', selectorValue, emptySelectorMessage));
  }
  const template = objectAt(object, 'spec', 'template');
  if (template === undefined) {
    errors.push(required('spec.template'));
    return errors;
  }
  const templateLabels = objectAt(template, 'metadata', 'labels') ?? {};
  errors.push(...labelErrors(templateLabels, 'spec.template.metadata.labels'));
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(templateLabels))
    if (typeof value === 'string') labels[key] = value;
  if (selector !== undefined && selector.length > 0 && !matchesLabels(selector, labels)) {
    errors.push(
      invalidValue(
        'spec.template.metadata.labels',
        templateLabels,
        '`selector` does not match template `labels`',
      ),
    );
  }
  errors.push(...podSpecErrors(objectAt(template, 'spec'), 'spec.template.spec', ['Always']));
  return errors;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function serviceErrors(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const type = stringAt(object, 'spec', 'type') ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) errors.push(unsupported('spec.type', type, SERVICE_TYPES));
  const ports = objectsAt(object, 'spec', 'ports');
  const headless = stringAt(object, 'spec', 'clusterIP') === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless)
    errors.push(required('spec.ports'));
  ports.forEach((port, index) => {
    const at = `spec.ports[${index}]`;
    if (ports.length > 1 && (stringAt(port, 'name') ?? '') === '')
      errors.push(required(`${at}.name`));
    errors.push(...portErrors(numberAt(port, 'port'), `${at}.port`));
    const nodePort = numberAt(port, 'nodePort');
    if (nodePort !== undefined) {
      if (type === 'ClusterIP')
        errors.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      else if (nodePort < 30000 || nodePort > 32767) {
        errors.push(
          invalidValue(
            `${at}.nodePort`,
            nodePort,
            'provided port is not in the valid range. The range of valid ports is 30000-32767',
          ),
        );
      }
    }
  });
  return errors;
}

function ingressErrors(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const rules = objectsAt(object, 'spec', 'rules');
  const defaultBackend = objectAt(object, 'spec', 'defaultBackend');
  if (rules.length === 0 && defaultBackend === undefined) {
    errors.push(invalidValue('spec', null, 'either `defaultBackend` or `rules` must be specified'));
  }
  rules.forEach((rule, ruleIndex) => {
    objectsAt(rule, 'http', 'paths').forEach((path, pathIndex) => {
      const at = `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`;
      const pathType = stringAt(path, 'pathType');
      if (pathType === undefined)
        errors.push(required(`${at}.pathType`, 'pathType must be specified'));
      else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(pathType)) {
        errors.push(
          unsupported(`${at}.pathType`, pathType, ['Exact', 'ImplementationSpecific', 'Prefix']),
        );
      }
      const backend = objectAt(path, 'backend');
      if (backend === undefined) errors.push(required(`${at}.backend`));
      else if (
        objectAt(backend, 'service') !== undefined &&
        (stringAt(backend, 'service', 'name') ?? '') === ''
      ) {
        errors.push(required(`${at}.backend.service.name`));
      }
    });
  });
  return errors;
}

/** Field errors on create, worded as the real validation words them; empty means valid. */
export function validateForCreate(type: ResourceType, object: KubeObject): FieldError[] {
  const errors = metadataErrors(type, object);
  switch (type.kind) {
    case 'Deployment':
      errors.push(...workloadErrors(object, 'empty selector is invalid for deployment'));
      break;
    case 'ReplicaSet':
      errors.push(...workloadErrors(object, 'empty selector is invalid for deployment'));
      break;
    case 'Pod':
      errors.push(
        ...podSpecErrors(objectAt(object, 'spec'), 'spec', ['Always', 'OnFailure', 'Never']),
      );
      break;
    case 'Service':
      errors.push(...serviceErrors(object));
      break;
    case 'Ingress':
      errors.push(...ingressErrors(object));
      break;
    default:
      break;
  }
  return errors;
}

function immutable(field: string, value: JsonValue | undefined): FieldError {
  return invalidValue(field, value, 'field is immutable');
}

/** Pods accept only image, activeDeadlineSeconds and added tolerations as spec changes. */
function podSpecChangeAllowed(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
): boolean {
  const strip = (spec: JsonObject | undefined): JsonValue => {
    if (spec === undefined) return null;
    const copy = structuredClone(spec);
    delete copy.activeDeadlineSeconds;
    delete copy.nodeName;
    delete copy.tolerations;
    for (const list of ['containers', 'initContainers']) {
      const containers = copy[list];
      if (Array.isArray(containers))
        for (const container of containers) if (isJsonObject(container)) delete container.image;
    }
    return copy;
  };
  return jsonEqual(strip(before), strip(after));
}

/** Field errors on update: create rules plus the fields that may not change. */
export function validateForUpdate(
  type: ResourceType,
  before: KubeObject,
  after: KubeObject,
): FieldError[] {
  const errors = validateForCreate(type, after);
  switch (type.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      if (!jsonEqual(objectAt(before, 'spec', 'selector'), objectAt(after, 'spec', 'selector'))) {
        errors.push(immutable('spec.selector', objectAt(after, 'spec', 'selector')));
      }
      break;
    case 'Service': {
      const beforeIp = stringAt(before, 'spec', 'clusterIP');
      const afterIp = stringAt(after, 'spec', 'clusterIP');
      if (
        beforeIp !== undefined &&
        afterIp !== undefined &&
        beforeIp !== afterIp &&
        stringAt(after, 'spec', 'type') !== 'ExternalName'
      ) {
        errors.push(immutable('spec.clusterIP', afterIp));
      }
      break;
    }
    case 'Pod':
      if (!podSpecChangeAllowed(objectAt(before, 'spec'), objectAt(after, 'spec'))) {
        errors.push(
          forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          ),
        );
      }
      break;
    default:
      break;
  }
  return errors;
}
