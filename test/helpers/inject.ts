/** Shared pieces of the inject tests: temporary chart copies, a helm runner, and the masks for random render output. */
import { execa } from 'execa';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir } from './corpus.js';

const TEMP_PREFIX = join(tmpdir(), 'imageguard-inject-');

export function tempDir(): string {
  return mkdtempSync(TEMP_PREFIX);
}

export function removeTemp(dir: string): void {
  if (dir.startsWith(TEMP_PREFIX)) rmSync(dir, { recursive: true, force: true });
}

function makeWritable(path: string): void {
  const stats = statSync(path);
  chmodSync(path, stats.mode | 0o200);
  if (stats.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/** A writable copy of a corpus chart under `dir` (the corpus itself is read-only and never written). */
export function copyCorpusChart(name: string, dir: string, as = name): string {
  const target = join(dir, as);
  cpSync(join(corpusDir, name), target, { recursive: true });
  makeWritable(target);
  return target;
}

export interface HelmRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runHelm(bin: string, args: readonly string[]): Promise<HelmRun> {
  const result = await execa(bin, args, { reject: false, timeout: 60_000, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * Render output helm randomises on every run (HELM-FACTS.md: nginx, podinfo and grafana), masked so two renders
 * of the same chart compare equal. Everything else must match byte for byte.
 */
export const RANDOM_MASKS: readonly { chart: string; what: string; pattern: RegExp }[] = [
  { chart: 'nginx', what: 'Secret x-nginx-tls data tls.crt, tls.key, ca.crt (self-signed certificate, genCA)', pattern: /^( {2}(?:tls\.crt|tls\.key|ca\.crt): ).+$/gm },
  { chart: 'grafana', what: 'Secret x-grafana data admin-password (randAlphaNum)', pattern: /^( {2}admin-password: ).+$/gm },
  { chart: 'grafana', what: 'Deployment x-grafana pod annotation checksum/secret (hash of that password)', pattern: /^(\s+checksum\/secret: ).+$/gm },
  { chart: 'podinfo', what: 'helm test Pod names x-podinfo-*-test-XXXXX (randAlphaNum 5 suffix)', pattern: /^( {2}name: x-podinfo-[a-z]+-test-)[a-z0-9]{5}$/gm },
];

export function maskRandom(chart: string, rendered: string): string {
  return RANDOM_MASKS.filter((mask) => mask.chart === chart).reduce((text, mask) => text.replace(mask.pattern, '$1<masked>'), rendered);
}
