import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VALID_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'signing-secret',
};

export const VALID_CATALOG = `registry:
  host: 127.0.0.1:5000
environments:
  staging:
    namespace: staging
    deployers:
      userGroups: [S0614TZR7]
services:
  hello-world:
    source:
      path: service
    test:
      command: [npm, test]
    chart: chart/hello-world
    values:
      staging: [chart/hello-world/values-staging.yaml]
`;

/** A directory with a service, a chart and a catalog file, as a user would lay them out. */
export function catalogDirectory(catalog: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hm-config-'));
  mkdirSync(join(dir, 'service'));
  writeFileSync(join(dir, 'service', 'Dockerfile'), 'FROM scratch AS test\nFROM scratch\n');
  mkdirSync(join(dir, 'chart', 'hello-world'), { recursive: true });
  writeFileSync(
    join(dir, 'chart', 'hello-world', 'Chart.yaml'),
    'apiVersion: v2\nname: hello-world\nversion: 0.1.0\n',
  );
  writeFileSync(join(dir, 'chart', 'hello-world', 'values-staging.yaml'), 'replicaCount: 1\n');
  const file = join(dir, 'harbormaster.yaml');
  writeFileSync(file, catalog);
  return { dir, file };
}
