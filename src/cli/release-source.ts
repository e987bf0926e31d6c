/** The release commands' I/O edge: flags -> helm scope, history and revisions through src/helm, settings. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { findConfigFile, loadConfigFile, settingsFromConfig } from '../config/load.js';
import { defaultConfig } from '../config/types.js';
import { HelmError, UsageError } from '../errors.js';
import {
  helmGetHooks,
  helmGetManifest,
  helmHistory,
  helmReleaseMetadata,
  namespaceLabel,
  ReleaseNotFoundError,
  type HistoryEntry,
  type ReleaseScope,
} from '../helm/release.js';
import { helmVersion } from '../helm/version.js';
import type { LintSettings } from '../lint/engine.js';
import type { ReleaseRef } from '../release/report.js';
import { RevisionParseError, revisionImages } from '../release/revision.js';
import type { RevisionImages, RevisionInfo } from '../release/types.js';
import { mapLimited } from './concurrency.js';
import type { Io } from './io.js';
import { collectMutableTag } from './parse-options.js';

/** Flags every release command shares. */
export interface ReleaseFlags {
  namespace?: string;
  kubeContext?: string;
  kubeconfig?: string;
  config?: string;
  mutableTag?: string[];
  color: boolean;
  debug?: boolean;
}

export function addReleaseOptions(command: Command): Command {
  return command
    .option('-n, --namespace <namespace>', 'namespace of the release (default: $HELM_NAMESPACE, else the kube context\'s)')
    .option('--kube-context <name>', 'kubeconfig context (default: $HELM_KUBECONTEXT)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG)')
    .option('--config <file>', 'configuration file for mutableTags (default: .imageguard.yaml from here upwards)')
    .option('--mutable-tag <name>', 'treat this tag as mutable too (glob with *); repeatable', collectMutableTag)
    .option('--no-color', 'no colour in text output (also NO_COLOR)')
    .option('--debug', 'show stack traces for errors (also HELM_DEBUG=true)');
}

/** REVISION arguments: helm's revision numbers start at 1. */
export function parseRevision(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`"${value}" is not a revision number (1, 2, ...; see helm history RELEASE)`);
  }
  return Number(value);
}

export function releaseScope(release: string, flags: ReleaseFlags, io: Io): ReleaseScope {
  if (release.trim() === '') throw new UsageError('the release name is empty');
  return {
    release,
    namespace: flags.namespace ?? null,
    kubeContext: flags.kubeContext ?? null,
    kubeconfig: flags.kubeconfig ?? null,
    env: io.env,
  };
}

/** mutableTags from --config or .imageguard.yaml (cwd upwards) plus --mutable-tag; rule severities do not apply. */
export function releaseSettings(flags: ReleaseFlags, io: Io): LintSettings {
  if (flags.config && !existsSync(flags.config)) throw new UsageError(`config file not found: ${flags.config} (from --config)`);
  const file = flags.config ?? findConfigFile(io.cwd);
  const config = file ? loadConfigFile(file) : defaultConfig();
  return settingsFromConfig(config, { mutableTags: flags.mutableTag ?? [] });
}

function infoOf(entry: HistoryEntry): RevisionInfo {
  return {
    revision: entry.revision,
    status: entry.status,
    chart: entry.chart,
    appVersion: entry.appVersion,
    updated: entry.updated,
    description: entry.description,
  };
}

function revisionsText(history: readonly HistoryEntry[]): string {
  const numbers = history.map((entry) => entry.revision);
  if (numbers.length === 0) return 'none';
  const contiguous = numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
  return contiguous && numbers.length > 2 ? `${numbers[0]} to ${numbers.at(-1)}` : numbers.join(', ');
}

/** Reads a release through helm: history and namespace once, then revisions on demand. */
export class ReleaseReader {
  private constructor(
    readonly scope: ReleaseScope,
    private readonly settings: LintSettings,
    readonly history: HistoryEntry[],
    readonly release: ReleaseRef,
  ) {}

  static async open(scope: ReleaseScope, settings: LintSettings): Promise<ReleaseReader> {
    const version = helmVersion().catch(() => null);
    // helm looks in -n, else HELM_NAMESPACE (always set for plugins); only without both does the kube context decide,
    // and then helm's stored metadata says which namespace that was.
    const known = scope.namespace || scope.env.HELM_NAMESPACE || null;
    const [history, metadata] = await Promise.all([helmHistory(scope), known ? null : helmReleaseMetadata(scope)]);
    if (history.length === 0) throw new ReleaseNotFoundError(`release ${scope.release} not found in ${namespaceLabel(scope)}`);
    const release: ReleaseRef = { name: scope.release, namespace: known ?? (metadata?.namespace || null), helmVersion: await version };
    return new ReleaseReader(scope, settings, history, release);
  }

  /** The revision helm rollback replaces: the highest in the history (helm's own `current`). */
  get current(): HistoryEntry {
    return this.history.at(-1)!;
  }

  /** helm rollback's default target: the revision before the current one. */
  previous(what: string): number {
    const previous = this.current.revision - 1;
    if (previous < 1) {
      throw new HelmError(
        `release ${this.scope.release} has only revision ${this.current.revision}: there is no earlier revision ${what}`,
      );
    }
    return previous;
  }

  async revision(revision: number): Promise<RevisionImages> {
    const entry = this.history.find((row) => row.revision === revision);
    let manifest: string;
    let hooks: string;
    try {
      [manifest, hooks] = await Promise.all([helmGetManifest(this.scope, revision), helmGetHooks(this.scope, revision)]);
    } catch (error) {
      if (error instanceof ReleaseNotFoundError) {
        throw new ReleaseNotFoundError(
          `release ${this.scope.release} has no revision ${revision} (${namespaceLabel(this.scope)}); its history lists ${revisionsText(this.history)}`,
          { detail: error.detail, cause: error },
        );
      }
      throw error;
    }
    const info: RevisionInfo = entry
      ? infoOf(entry)
      : { revision, status: '', chart: '', appVersion: '', updated: '', description: '' };
    try {
      return revisionImages({ info, manifest, hooks }, this.release.namespace, this.settings);
    } catch (error) {
      if (error instanceof RevisionParseError) {
        throw new HelmError(`release ${this.scope.release}: helm returned ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Several revisions, a few helm processes at a time, in the order asked. */
  revisions(numbers: readonly number[]): Promise<RevisionImages[]> {
    return mapLimited(numbers, 4, (n) => this.revision(n));
  }
}

/** The command's own argv (commander keeps the whole program's in rawArgs). */
export function commandArgv(cmd: Command): string[] {
  const raw = (cmd.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? [];
  const at = raw.indexOf(cmd.name());
  return at >= 0 ? raw.slice(at + 1) : raw;
}

export function formatOption(choices: readonly string[]): Option {
  return new Option('--format <format>', 'report format').choices(choices).default('text');
}
