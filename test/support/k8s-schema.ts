import * as k8sClient from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';
import { crdSchema, schemaProblems } from './crd-schema.js';

/**
 * Validates rendered manifests the way the API server would, offline, from Kubernetes' own OpenAPI
 * definitions, in two passes:
 * - kubernetes-models: ajv validators generated from the OpenAPI schema (types, formats, enums,
 *   required fields);
 * - @kubernetes/client-node: the attribute maps generated from the same OpenAPI document, to refuse
 *   fields the schema does not know (what `kubectl apply` / `--validate=strict` refuses, and what a
 *   mis-indented template produces).
 * plus the few API-server checks that are not in the schema and that a chart commonly breaks:
 * object names, label syntax, and a Deployment's (or StatefulSet's) selector that matches its pod
 * template. Custom resources are checked against their CRD's schema (crd-schema.ts).
 */

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Validatable {
  validate(): void;
}

interface KindSchema {
  model: new (data: object) => Validatable;
  /** The @kubernetes/client-node model class generated for the same definition. */
  clientType: string;
  /** Services need a DNS-1035 label; most others a DNS-1123 subdomain. */
  name: 'dns1035Label' | 'dns1123Label' | 'dns1123Subdomain';
}

/** For models whose constructor types require fields: the validator passes what was rendered. */
const anyData = (model: unknown) => model as KindSchema['model'];

const KINDS: Partial<Record<string, KindSchema>> = {
  'apps/v1 Deployment': { model: Deployment, clientType: 'V1Deployment', name: 'dns1123Subdomain' },
  'v1 Service': { model: Service, clientType: 'V1Service', name: 'dns1035Label' },
  'v1 ServiceAccount': {
    model: ServiceAccount,
    clientType: 'V1ServiceAccount',
    name: 'dns1123Subdomain',
  },
  'apps/v1 StatefulSet': {
    model: StatefulSet,
    clientType: 'V1StatefulSet',
    name: 'dns1123Subdomain',
  },
  'v1 Pod': { model: Pod, clientType: 'V1Pod', name: 'dns1123Subdomain' },
  'v1 ConfigMap': { model: ConfigMap, clientType: 'V1ConfigMap', name: 'dns1123Subdomain' },
  'v1 Namespace': { model: Namespace, clientType: 'V1Namespace', name: 'dns1123Label' },
  'v1 Secret': { model: Secret, clientType: 'V1Secret', name: 'dns1123Subdomain' },
  'networking.k8s.io/v1 NetworkPolicy': {
    model: NetworkPolicy,
    clientType: 'V1NetworkPolicy',
    name: 'dns1123Subdomain',
  },
  'policy/v1 PodDisruptionBudget': {
    model: PodDisruptionBudget,
    clientType: 'V1PodDisruptionBudget',
    name: 'dns1123Subdomain',
  },
  'rbac.authorization.k8s.io/v1 Role': {
    model: Role,
    clientType: 'V1Role',
    name: 'dns1123Subdomain',
  },
  'rbac.authorization.k8s.io/v1 RoleBinding': {
    model: anyData(RoleBinding),
    clientType: 'V1RoleBinding',
    name: 'dns1123Subdomain',
  },
  'rbac.authorization.k8s.io/v1 ClusterRole': {
    model: ClusterRole,
    clientType: 'V1ClusterRole',
    name: 'dns1123Subdomain',
  },
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': {
    model: anyData(ClusterRoleBinding),
    clientType: 'V1ClusterRoleBinding',
    name: 'dns1123Subdomain',
  },
  'networking.k8s.io/v1 Ingress': {
    model: Ingress,
    clientType: 'V1Ingress',
    name: 'dns1123Subdomain',
  },
  'autoscaling/v2 HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    clientType: 'V2HorizontalPodAutoscaler',
    name: 'dns1123Subdomain',
  },
};

interface Attribute {
  baseName: string;
  type: string;
}

interface GeneratedModel {
  getAttributeTypeMap(): Attribute[];
}

function generatedModel(type: string): GeneratedModel | undefined {
  const candidate = (k8sClient as unknown as Record<string, unknown>)[type];
  if (typeof candidate !== 'function' || !('getAttributeTypeMap' in candidate)) return undefined;
  return candidate as unknown as GeneratedModel;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fields that the OpenAPI definition of `type` does not have, anywhere below `value`. */
function unknownFields(value: unknown, type: string, path: string, problems: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) {
    const itemType = array[1];
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        unknownFields(item, itemType, `${path}/${index}`, problems);
      });
    }
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) {
    const valueType = map[1];
    if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        unknownFields(item, valueType, `${path}/${key}`, problems);
      }
    }
    return;
  }
  const model = generatedModel(type);
  if (!model || !isRecord(value)) return; // a primitive, IntOrString, any: the ajv pass types it
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    const attributeType = attributes.get(key);
    if (attributeType === undefined) {
      problems.push(`${path}/${key}: unknown field "${key}" (not in ${type})`);
      continue;
    }
    unknownFields(item, attributeType, `${path}/${key}`, problems);
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function nameProblems(name: string, rule: KindSchema['name']): string[] {
  if (rule === 'dns1123Label') {
    return name.length <= 63 && DNS1123_LABEL.test(name)
      ? []
      : [`/metadata/name: "${name}" is not a DNS-1123 label`];
  }
  if (rule === 'dns1035Label') {
    return name.length <= 63 && DNS1035_LABEL.test(name)
      ? []
      : [`/metadata/name: "${name}" is not a DNS-1035 label`];
  }
  const valid = name.length <= 253 && name.split('.').every((part) => DNS1123_LABEL.test(part));
  return valid ? [] : [`/metadata/name: "${name}" is not a DNS-1123 subdomain`];
}

function labelProblems(labels: unknown, path: string): string[] {
  if (!isRecord(labels)) return [];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? '' : key.slice(0, slash);
    const name = key.slice(slash + 1);
    const prefixOk =
      prefix === '' ||
      (prefix.length <= 253 && prefix.split('.').every((part) => DNS1123_LABEL.test(part)));
    if (!prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
      problems.push(`${path}: invalid label key "${key}"`);
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.push(`${path}/${key}: invalid label value ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

function selectorProblems(manifest: Manifest): string[] {
  const workload = manifest.kind === 'Deployment' || manifest.kind === 'StatefulSet';
  if (!workload || !isRecord(manifest.spec)) return [];
  const selector = manifest.spec.selector;
  const template = manifest.spec.template;
  if (!isRecord(selector) || !isRecord(template) || !isRecord(template.metadata)) return [];
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const podLabels = isRecord(template.metadata.labels) ? template.metadata.labels : {};
  const problems = labelProblems(podLabels, '/spec/template/metadata/labels');
  for (const [key, value] of Object.entries(matchLabels)) {
    if (podLabels[key] !== value) {
      problems.push(
        `/spec/selector: selector does not match template labels (${key}=${String(value)})`,
      );
    }
  }
  return problems;
}

/** Everything the API server would refuse in this manifest; [] when it would accept it. */
export function manifestProblems(manifest: Manifest): string[] {
  const key = `${manifest.apiVersion} ${manifest.kind}`;
  const schema = KINDS[key];
  if (!schema) return customResourceProblems(manifest);
  const problems: string[] = [];
  try {
    new schema.model(manifest).validate();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  unknownFields(manifest, schema.clientType, '', problems);
  problems.push(...nameProblems(manifest.metadata.name, schema.name));
  problems.push(...labelProblems(manifest.metadata.labels, '/metadata/labels'));
  problems.push(...selectorProblems(manifest));
  return problems;
}

function customResourceProblems(manifest: Manifest): string[] {
  const key = `${manifest.apiVersion} ${manifest.kind}`;
  const schema = crdSchema(manifest.apiVersion, manifest.kind);
  if (!schema) {
    return [
      `no schema for ${key}: add it to test/support/k8s-schema.ts, or its CRD to test/fixtures/crds`,
    ];
  }
  return [
    ...schemaProblems(schema, manifest),
    ...nameProblems(manifest.metadata.name, 'dns1123Subdomain'),
    ...labelProblems(manifest.metadata.labels, '/metadata/labels'),
  ];
}

/** Every problem of every manifest, each prefixed with the object's kind and name. */
export function allManifestProblems(manifests: Manifest[]): string[] {
  return manifests.flatMap((manifest) =>
    manifestProblems(manifest).map(
      (problem) => `${manifest.kind} ${manifest.metadata.name} ${problem}`,
    ),
  );
}

/** The documents of a multi-document YAML stream (helm template's output), empty ones dropped. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors.map(String).join('\n'));
      return document.toJS() as unknown;
    })
    .filter((value): value is Manifest => isRecord(value));
}
