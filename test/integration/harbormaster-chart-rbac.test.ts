import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  chartValues,
  helmSandbox,
  HARBORMASTER_CHART,
  OPTION_FIXTURES,
  RELEASE_NAMESPACE,
} from '../support/harbormaster-chart.js';
import type { Manifest } from '../support/k8s-schema.js';
import { grantsOf, type Grant } from '../support/rbac.js';

/** The documented set (rbac-rules.yaml) is the most the chart may grant, and the README's table. */

interface DocumentedRule {
  who: 'bot' | 'worker';
  where: 'namespace' | 'cluster';
  when: string;
  apiGroup: string;
  resource: string;
  verbs: string[];
  why: string;
}

const documented = (
  parse(readFileSync(join(HARBORMASTER_CHART, 'rbac-rules.yaml'), 'utf8')) as {
    rules: DocumentedRule[];
  }
).rules;

const helm = helmSandbox();

afterAll(() => {
  helm.remove();
});

/** One line per permission: who where apiGroup/resource verb. */
function documentedLines(): string[] {
  return documented.flatMap((rule) =>
    rule.verbs.map(
      (verb) => `${rule.who} ${rule.where} ${rule.apiGroup || 'core'}/${rule.resource} ${verb}`,
    ),
  );
}

function grantedLines(manifests: Manifest[]): string[] {
  const who = (grant: Grant) => {
    const match = /\/hm-harbormaster-(bot|worker)$/.exec(grant.subject);
    if (!match)
      throw new Error(`a binding names an account the chart does not run: ${grant.subject}`);
    return match[1];
  };
  return grantsOf(manifests, RELEASE_NAMESPACE).map(
    (grant) =>
      `${who(grant)} ${grant.namespace === undefined ? 'cluster' : 'namespace'} ${grant.apiGroup || 'core'}/${grant.resource} ${grant.verb}`,
  );
}

const RENDERINGS: [string, string[]][] = [
  ['the defaults', []],
  ...OPTION_FIXTURES.map((fixture): [string, string[]] => [fixture, [chartValues(fixture)]]),
];

describe('the RBAC that chart/harbormaster grants', () => {
  it.each(RENDERINGS)('stays within the documented set with %s', async (_name, files) => {
    const manifests = await helm.render({ valuesFiles: files });
    const allowed = new Set(documentedLines());
    const granted = grantedLines(manifests);
    expect(granted.length).toBeGreaterThan(0);
    expect([...new Set(granted)].filter((line) => !allowed.has(line))).toEqual([]);
  });

  it('renders everything the documented set lists, so the documentation is not stale', async () => {
    const rendered = new Set<string>();
    for (const [, files] of RENDERINGS) {
      for (const line of grantedLines(await helm.render({ valuesFiles: files })))
        rendered.add(line);
    }
    expect(documentedLines().filter((line) => !rendered.has(line))).toEqual([]);
  });

  it('never grants a wildcard, a privilege verb, non-resource URLs or a role it does not render', async () => {
    const manifests = await helm.render({ valuesFiles: [chartValues('harbormaster-all-on.yaml')] });
    for (const role of manifests.filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')) {
      expect(role.aggregationRule).toBeUndefined();
      for (const rule of role.rules as Record<string, string[] | undefined>[]) {
        expect(rule.nonResourceURLs).toBeUndefined();
        for (const value of [
          ...(rule.apiGroups ?? []),
          ...(rule.resources ?? []),
          ...(rule.verbs ?? []),
        ]) {
          expect(value).not.toContain('*');
        }
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['escalate']));
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['bind']));
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['impersonate']));
      }
    }
    const roleNames = new Set(
      manifests
        .filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole')
        .map((m) => `${m.kind}/${m.metadata.name}`),
    );
    for (const binding of manifests.filter((m) => m.kind.endsWith('Binding'))) {
      const ref = binding.roleRef as { kind: string; name: string };
      expect(roleNames).toContain(`${ref.kind}/${ref.name}`); // never cluster-admin, edit, …
    }
  });

  it('puts Roles only in the deploy namespaces, and cluster-wide only list nodes', async () => {
    const manifests = await helm.render({ valuesFiles: [chartValues('harbormaster-all-on.yaml')] });
    const namespaces = new Set(
      manifests
        .filter((m) => m.kind === 'Role' || m.kind === 'RoleBinding')
        .map((m) => m.metadata.namespace),
    );
    expect([...namespaces].sort()).toEqual(['apps-production', 'apps-staging']);
    const cluster = grantsOf(manifests, RELEASE_NAMESPACE).filter((g) => g.namespace === undefined);
    expect(new Set(cluster.map((g) => `${g.apiGroup}/${g.resource} ${g.verb}`))).toEqual(
      new Set(['/nodes list']),
    );
  });

  it('drops each optional right with its switch, and all of them with rbac.create=false', async () => {
    const withoutNodes = grantedLines(await helm.render({ set: ['rbac.readNodes=false'] }));
    expect(withoutNodes.filter((line) => line.includes(' cluster '))).toEqual([]);
    const withoutApply = grantedLines(await helm.render({ set: ['rbac.applyNamespaces=false'] }));
    expect(withoutApply.filter((line) => line.includes('core/namespaces'))).toEqual([]);
    expect(grantedLines(await helm.render())).toContain('worker namespace core/namespaces patch');
    const none = await helm.render({ set: ['rbac.create=false'] });
    expect(none.filter((m) => /Role/.test(m.kind))).toEqual([]);
  });

  it('is the table in the chart README', () => {
    const readme = readFileSync(join(HARBORMASTER_CHART, 'README.md'), 'utf8');
    const table = /<!-- rbac-table:start -->\n([\s\S]*?)<!-- rbac-table:end -->/.exec(readme)?.[1];
    expect(table).toBeDefined();
    const rows = (table ?? '')
      .trim()
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ').map((cell) => cell.replace(/^\| |\s\|$/g, '').trim()));
    expect(rows).toEqual(
      documented.map((rule) => [
        rule.who,
        rule.where === 'namespace' ? 'each deploy namespace' : 'cluster',
        rule.apiGroup || 'core',
        rule.resource,
        rule.verbs.join(', '),
        rule.when,
        rule.why,
      ]),
    );
  });
});
