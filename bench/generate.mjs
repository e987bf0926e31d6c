// Generated benchmark workloads (never committed): a chart with N Deployments, and a monorepo of small charts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const deployment = (i) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app-${i}
spec:
  replicas: 1
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec:
      initContainers:
        - name: init
          image: "{{ .Values.init.repository }}:{{ .Values.init.tag }}"
      containers:
        - name: app
          image: "{{ .Values.apps.app${i}.repository }}:{{ .Values.apps.app${i}.tag | default .Chart.AppVersion }}"
          imagePullPolicy: IfNotPresent
`;

/** A chart whose one template renders `count` Deployments, each with its own values image object. */
export function bigChart(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: big${count}\nversion: 0.1.0\nappVersion: "1.27.3"\n`);
  const values = ['init:', '  repository: busybox', '  tag: "1.37.0"', 'apps:'];
  for (let i = 0; i < count; i++) values.push(`  app${i}:`, `    repository: registry.example.com/team/app${i}`, `    tag: "${i % 10 === 0 ? 'latest' : `1.${i}.0`}"`);
  writeFileSync(join(dir, 'values.yaml'), `${values.join('\n')}\n`);
  const body = Array.from({ length: count }, (_, i) => deployment(i)).join('');
  writeFileSync(join(dir, 'templates', 'deployments.yaml'), body);
  return dir;
}

/** `count` small charts under one folder, like a monorepo. */
export function monorepo(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) bigChart(join(dir, `chart-${String(i).padStart(3, '0')}`), 2);
  return dir;
}
