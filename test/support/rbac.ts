import type { Manifest } from './k8s-schema.js';

/**
 * Kubernetes RBAC, offline: the permissions a set of rendered manifests grants, flattened to one
 * line per verb, and the RBAC authorizer's decision for a request, so that a test can compare what
 * a chart grants with what the programs it runs actually ask of the API server.
 */

/** One permission: `subject` may `verb` `resource` in `apiGroup`. */
export interface Grant {
  /** ServiceAccount, as namespace/name. */
  subject: string;
  /** The Role's namespace, or undefined for a ClusterRole bound cluster-wide. */
  namespace: string | undefined;
  apiGroup: string;
  resource: string;
  verb: string;
  /** The rule's resourceNames; undefined when it names none (every object). */
  resourceNames: string[] | undefined;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Binding extends Manifest {
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

const isBinding = (manifest: Manifest): manifest is Binding =>
  manifest.kind === 'RoleBinding' || manifest.kind === 'ClusterRoleBinding';

function roleRules(manifests: Manifest[], binding: Binding): PolicyRule[] {
  const namespace = binding.metadata.namespace;
  const role = manifests.find(
    (manifest) =>
      manifest.kind === binding.roleRef.kind &&
      manifest.metadata.name === binding.roleRef.name &&
      (manifest.kind === 'ClusterRole' || manifest.metadata.namespace === namespace),
  );
  if (!role) {
    throw new Error(
      `${binding.kind} ${binding.metadata.name} refers to ${binding.roleRef.kind} ${binding.roleRef.name}, which the chart does not render`,
    );
  }
  return (role.rules as PolicyRule[] | undefined) ?? [];
}

/** Every permission the manifests' Roles, ClusterRoles and their bindings grant, one per verb. */
export function grantsOf(manifests: Manifest[], releaseNamespace: string): Grant[] {
  const grants: Grant[] = [];
  for (const binding of manifests.filter(isBinding)) {
    const namespace =
      binding.kind === 'RoleBinding'
        ? ((binding.metadata.namespace as string | undefined) ?? releaseNamespace)
        : undefined;
    for (const subject of binding.subjects ?? []) {
      const who = `${subject.namespace ?? releaseNamespace}/${subject.name}`;
      for (const rule of roleRules(manifests, binding)) {
        if (rule.nonResourceURLs) throw new Error(`${who} is granted nonResourceURLs`);
        for (const apiGroup of rule.apiGroups ?? [])
          for (const resource of rule.resources ?? [])
            for (const verb of rule.verbs)
              grants.push({
                subject: who,
                namespace,
                apiGroup,
                resource,
                verb,
                resourceNames: rule.resourceNames,
              });
      }
    }
  }
  return grants;
}

/** What the RBAC authorizer is asked for one API request. */
export interface RequestAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  contentType: string | undefined;
  status: number;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Paths every authenticated user may read (system:discovery, system:public-info-viewer). */
const DISCOVERY = /^\/(version|healthz|livez|readyz|api|apis(\/[^/]+(\/[^/]+)?)?|openapi\/.*)$/;

function verbsOf(request: RecordedRequest, named: boolean): string[] {
  const watch = /[?&]watch=(true|1)(&|$)/.test(request.query);
  switch (request.method) {
    case 'GET':
      if (named) return ['get'];
      return [watch ? 'watch' : 'list'];
    case 'POST':
      return ['create'];
    case 'PUT':
      return ['update'];
    case 'PATCH': {
      // Server-side apply that creates an object is authorized as create as well.
      const apply = request.contentType?.startsWith('application/apply-patch') === true;
      return apply && request.status === 201 ? ['patch', 'create'] : ['patch'];
    }
    case 'DELETE':
      return [named ? 'delete' : 'deletecollection'];
    default:
      throw new Error(`no RBAC verb for ${request.method} ${request.path}`);
  }
}

/** The authorization checks one request needs; [] for discovery paths. */
export function requestAttributes(request: RecordedRequest): RequestAttributes[] {
  if (DISCOVERY.test(request.path)) return [];
  const core = /^\/api\/v1\/(.+)$/.exec(request.path);
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/(.+)$/.exec(request.path);
  const apiGroup = core ? '' : (grouped?.[1] ?? '');
  const rest = core?.[1] ?? grouped?.[2];
  if (rest === undefined) throw new Error(`not a resource path: ${request.path}`);
  let parts = rest.split('/');
  let namespace: string | undefined;
  // As the API server's RequestInfo: a namespace's own object is authorized in that namespace, so
  // a Role there can grant verbs on it (and on no other namespace).
  if (parts[0] === 'namespaces' && parts.length >= 2) {
    namespace = parts[1];
    const next = parts[2];
    if (next !== undefined && !NAMESPACE_SUBRESOURCES.has(next)) parts = parts.slice(2);
  }
  const [resource, name, subresource] = parts;
  if (resource === undefined) throw new Error(`not a resource path: ${request.path}`);
  const fullResource = subresource === undefined ? resource : `${resource}/${subresource}`;
  return verbsOf(request, name !== undefined).map((verb) => ({
    verb,
    apiGroup,
    resource: fullResource,
    namespace,
    name,
  }));
}

/** The RBAC authorizer's answer: some grant of `subject` allows the request. */
export function allows(grants: Grant[], subject: string, request: RequestAttributes): boolean {
  return grants.some(
    (grant) =>
      grant.subject === subject &&
      (grant.namespace === undefined || grant.namespace === request.namespace) &&
      grant.apiGroup === request.apiGroup &&
      grant.resource === request.resource &&
      grant.verb === request.verb &&
      (grant.resourceNames === undefined ||
        (request.name !== undefined && grant.resourceNames.includes(request.name))),
  );
}
