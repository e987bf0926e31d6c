import type { ChartRule } from './types.js';

const MOVING = new Set(['latest', 'mutable', 'floating', 'untagged']);

export const noLatestAppversion: ChartRule = {
  id: 'no-latest-appversion',
  scope: 'chart',
  defaultSeverity: 'error',
  description: 'Chart.yaml appVersion must not be a moving tag when templates use it as the default image tag.',
  remediation: 'Set appVersion in Chart.yaml to the exact version of the application image (for example 1.27.3).',
  check(chart) {
    const appVersion = chart.appVersion;
    if (appVersion === null || chart.appVersionClass === null || !MOVING.has(chart.appVersionClass)) return null;
    const users = chart.uses.filter((use) => use.reference?.tag === appVersion);
    if (users.length === 0) return null;
    return {
      messageId: 'moving-appversion',
      message:
        `Chart.yaml appVersion "${appVersion}" is used as the image tag of ${users.length} container(s) ` +
        `(${users[0]!.image}); a moving appVersion makes every release of this chart deploy whatever that tag points to.`,
    };
  },
};
