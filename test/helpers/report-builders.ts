/** Small Report objects for formatter unit tests (the shape the lint engine produces). */
import type { Finding, Report, SuppressedFinding, Suppression, Target } from '../../src/report/types.js';

export const chartTarget = (chart: string): Target => ({
  chart,
  manifest: null,
  release: 'x',
  namespace: 'default',
  helmVersion: 'v3.17.3',
});

export const manifestTarget = (manifest: string): Target => ({
  chart: null,
  manifest,
  release: null,
  namespace: null,
  helmVersion: null,
});

/** An image finding on Deployment x-web, container web, rendered by demo/templates/deployment.yaml. */
export function imageFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'no-latest-tag',
    messageId: 'latest',
    severity: 'error',
    message: '"nginx:latest" uses the tag "latest", which moves with every push.',
    image: 'nginx:latest',
    class: 'latest',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'x-web' },
    container: { name: 'web', type: 'container' },
    template: 'demo/templates/deployment.yaml',
    hook: null,
    values: [],
    target: 0,
    file: null,
    line: 12,
    latent: false,
    ...overrides,
  };
}

/** A chart-level finding (no-latest-appversion) pointing at Chart.yaml. */
export function chartFinding(file: string, line: number): Finding {
  return imageFinding({
    ruleId: 'no-latest-appversion',
    messageId: 'latest',
    severity: 'warning',
    message: 'appVersion is "latest".',
    image: null,
    class: null,
    resource: null,
    container: null,
    template: null,
    file,
    line,
  });
}

export function suppressed(finding: Finding, suppression: Partial<Suppression> = {}): SuppressedFinding {
  return { ...finding, suppression: { source: 'annotation', reason: null, expires: null, ...suppression } };
}

export function makeReport(
  findings: Finding[],
  options: { targets?: Target[]; suppressed?: SuppressedFinding[] } = {},
): Report {
  const count = (severity: Finding['severity']) => findings.filter((finding) => finding.severity === severity).length;
  return {
    schemaVersion: 1,
    tool: { name: 'imageguard', version: '0.1.0' },
    targets: options.targets ?? [chartTarget('./charts/demo')],
    images: [],
    findings,
    suppressed: options.suppressed ?? [],
    summary: { error: count('error'), warning: count('warning'), info: count('info') },
  };
}
