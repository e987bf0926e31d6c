/**
 * `imageguard postrender`: the post-renderer. Reads a rendered manifest on stdin, writes it to stdout with every
 * pod-spec `image:` pinned to its digest (src/pin/rewrite.ts), nothing else changed. `bin/imageguard-postrender`
 * runs it for Helm 3 (`--post-renderer PATH`) and, through postrender-plugin/imageguard-postrender, for Helm 4.
 *
 * Failing visibly: Helm 3 shows a post-renderer's stderr, Helm 4 throws it away (HELM-FACTS.md). So the reason
 * also goes to `--report FILE` (imageguard upgrade passes one and prints it when helm fails) and, when Helm 4 runs
 * us as a plugin without --report, to the terminal (/dev/tty) if there is one.
 */
import { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { lockDigests, readLock } from '../pin/lock.js';
import { pinManifest, RewriteInputError } from '../pin/rewrite.js';
import { pinKind } from '../pin/images.js';
import { DEFAULT_REGISTRY_JOBS, resolveAll } from '../pin/resolve.js';
import type { Reference } from '../image/reference.js';
import { formatError, isDebug } from './format-error.js';
import type { Io } from './io.js';
import { writeFileAtomic } from '../io/output.js';
import { collect, parseDuration } from './parse-options.js';
import { INSECURE_REGISTRY_HELP, registryClient } from './registry-options.js';

export const POSTRENDER_PLUGIN_NAME = 'imageguard-postrender';

interface PostRenderOptions {
  lock?: string;
  resolve?: boolean;
  report?: string;
  insecureRegistry?: string[];
  registryTimeout?: number;
  debug?: boolean;
}

export function postrenderCommand(io: Io, done: (code: number) => void): Command {
  const command = new Command('postrender')
    .summary('pin pod-spec images of a rendered manifest on stdin to digests (a Helm post-renderer)')
    .description(
      'Read rendered Kubernetes YAML on stdin and write it to stdout with every pod-spec image pinned: ' +
        '`image: repo:tag` becomes `repo:tag@sha256:...`; nothing else changes. Digests come from --lock, and from ' +
        'the registry for images the lock lacks only with --resolve (without --lock, always from the registry).',
    )
    .option('--lock <file>', 'take digests from this lock file (imageguard pin writes it)')
    .option('--resolve', 'with --lock: resolve images the lock lacks at the registry instead of failing')
    .option('--report <file>', 'on failure, also write the reason to FILE (Helm 4 hides the post-renderer\'s stderr)')
    .option('--insecure-registry <host>', INSECURE_REGISTRY_HELP, collect)
    .option('--registry-timeout <duration>', 'give up on one registry request after this long (default 30s)', parseDuration)
    .option('--debug', 'log each registry request to stderr (never credentials)');
  command.addHelpText(
    'after',
    '\nAs a helm post-renderer (arguments through --post-renderer-args=ARG, one each):\n' +
      '  Helm 3: helm upgrade ... --post-renderer /path/to/imageguard/bin/imageguard-postrender \\\n' +
      '            --post-renderer-args=--lock=imageguard.lock.yaml\n' +
      '  Helm 4: HELM_PLUGINS="$(helm env HELM_PLUGINS):/path/to/imageguard/postrender-plugin" \\\n' +
      '            helm upgrade ... --post-renderer imageguard-postrender --post-renderer-args=--lock=imageguard.lock.yaml\n' +
      'Helm 4 hides a post-renderer\'s stderr: add --post-renderer-args=--report=FILE to keep the reason of a failure.\n' +
      'Exit codes: 0 written, 2 usage error (not YAML, image missing from the lock), 4 registry failure.',
  );
  command.action(async (options: PostRenderOptions) => {
    try {
      done(await runPostRender(options, io));
    } catch (error) {
      reportFailure(error, options, io);
      throw error;
    }
  });
  return command;
}

async function runPostRender(options: PostRenderOptions, io: Io): Promise<number> {
  const digests = options.lock ? lockDigests(readLock(options.lock)) : new Map<string, string>();
  const input = io.readStdin();
  let result = rewrite(input, digests);
  if (result.missing.length > 0) {
    if (options.lock && !options.resolve) {
      const [first, ...more] = result.missing;
      const others = more.length > 0 ? ` (and ${more.length} more)` : '';
      throw new UsageError(`${first}${others} is not in ${options.lock}: run imageguard pin with the same chart and values, or add --resolve`);
    }
    const targets = new Map<string, Reference>();
    for (const key of result.missing) {
      const kind = pinKind(key);
      if (kind.kind === 'pin') targets.set(key, kind.reference);
    }
    const client = registryClient(
      { insecureRegistries: options.insecureRegistry ?? [], timeoutMs: options.registryTimeout, debug: options.debug === true || isDebug([], io.env) },
      io,
    );
    try {
      for (const [key, digest] of await resolveAll(client, targets, DEFAULT_REGISTRY_JOBS)) digests.set(key, digest);
    } finally {
      client.close();
    }
    result = rewrite(input, digests);
  }
  io.stdout(result.text);
  return 0;
}

function rewrite(input: string, digests: ReadonlyMap<string, string>): ReturnType<typeof pinManifest> {
  let result;
  try {
    result = pinManifest(input, (key) => digests.get(key));
  } catch (error) {
    if (error instanceof RewriteInputError) throw new UsageError(error.message);
    throw error;
  }
  const bad = result.invalid[0];
  if (bad) throw new UsageError(`cannot pin image ${bad.image}: ${bad.reason}`);
  return result;
}

/** The reason where the user will see it: stderr (main.ts prints it), --report, or Helm 4's terminal. */
function reportFailure(error: unknown, options: PostRenderOptions, io: Io): void {
  const text = formatError(error, false).replace(/^imageguard: /, `${POSTRENDER_PLUGIN_NAME}: `);
  if (options.report) {
    try {
      writeFileAtomic(options.report, text);
    } catch {
      // the reason still goes to stderr
    }
    return;
  }
  if (io.env.HELM_PLUGIN_NAME !== POSTRENDER_PLUGIN_NAME) return;
  try {
    const tty = openSync('/dev/tty', 'w');
    try {
      writeSync(tty, text);
    } finally {
      closeSync(tty);
    }
  } catch {
    // no terminal (CI): helm's "plugin exited with error" is all the user gets; --report exists for that
  }
}
