import { appendFileSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * chart/hello-world with a pre-install/pre-upgrade hook Pod that runs the release's own image for
 * `seconds`: helm waits for it, so `helm upgrade` is caught in the middle (the release then
 * `pending-install` or `pending-upgrade`). Written to `dir`; answers the chart's path.
 */
export function slowHookChart(dir: string, seconds: number): string {
  const chart = join(dir, 'slow-hook-chart');
  cpSync(join(repoRoot, 'chart', 'hello-world'), chart, { recursive: true });
  // The schema allows no values it does not know.
  rmSync(join(chart, 'values.schema.json'));
  appendFileSync(join(chart, 'values.yaml'), `\nslowHookSeconds: ${seconds}\n`);
  writeFileSync(
    join(chart, 'templates', 'slow-hook.yaml'),
    `{{- if .Values.slowHookSeconds }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-slow-hook
  annotations:
    "helm.sh/hook": pre-upgrade,pre-install
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  containers:
    - name: wait
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      command: ["node", "-e", "setTimeout(() => {}, {{ mul .Values.slowHookSeconds 1000 }})"]
{{- end }}
`,
  );
  return chart;
}
