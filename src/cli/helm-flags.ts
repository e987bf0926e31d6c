import type { Command, Option } from 'commander';

/** helm's rendering flags that lint passes to `helm template` unchanged and in order. */
export const HELM_RENDER_FLAGS: readonly { flags: string; description: string }[] = [
  { flags: '-f, --values <file>', description: 'values file (helm -f); repeatable, later files win' },
  { flags: '--set <key=value>', description: 'set a value (helm --set); repeatable' },
  { flags: '--set-string <key=value>', description: 'set a string value (helm --set-string); repeatable' },
  { flags: '--set-file <key=path>', description: 'set a value from a file (helm --set-file); repeatable' },
  { flags: '--set-json <key=json>', description: 'set a JSON value (helm --set-json); repeatable' },
  { flags: '--set-literal <key=value>', description: 'set a literal string (helm --set-literal); repeatable' },
  { flags: '--version <version>', description: 'chart version constraint for repo/oci charts (helm --version)' },
  { flags: '--devel', description: 'use development chart versions too (helm --devel)' },
  { flags: '--repo <url>', description: 'chart repository URL (helm --repo)' },
  { flags: '--kube-version <version>', description: 'Kubernetes version for .Capabilities (helm --kube-version)' },
  { flags: '-a, --api-versions <version>', description: 'extra API versions for .Capabilities; repeatable' },
  { flags: '--include-crds', description: 'render CRDs too (helm --include-crds)' },
  { flags: '--skip-tests', description: 'skip helm test hooks (helm --skip-tests)' },
  { flags: '--no-hooks', description: 'leave hooks out (helm --no-hooks)' },
  { flags: '--plain-http', description: 'use plain HTTP for oci:// charts (helm --plain-http)' },
];

const HELM_LONG_NAMES = new Set(HELM_RENDER_FLAGS.map(({ flags }) => /--([\w-]+)/.exec(flags)![1]!));

export function addHelmRenderOptions(command: Command): void {
  const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];
  for (const { flags, description } of HELM_RENDER_FLAGS) {
    if (flags.includes('<')) command.option(flags, description, collect);
    else command.option(flags, description);
  }
}

function findOption(options: readonly Option[], token: string): Option | undefined {
  return options.find((option) => option.long === token || option.short === token || option.negate && option.long === token);
}

/**
 * The helm rendering flags in argv, in their original order and spelling (`-f a.yaml`, `--set=x=1`, `-fa.yaml`).
 * Commander already validated argv; this keeps the order commander's option values lose (later -f/--set win in helm).
 */
export function extractHelmArgs(argv: readonly string[], options: readonly Option[]): string[] {
  const helmArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') continue;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq > 0 ? token.slice(0, eq) : token.startsWith('--') ? token : token.slice(0, 2);
    const option = findOption(options, name);
    if (!option) continue;
    const takesValue = option.required || option.optional;
    const inline = eq > 0 || (!token.startsWith('--') && token.length > 2);
    const isHelm = option.long !== undefined && HELM_LONG_NAMES.has(option.long.slice(2));
    if (isHelm) helmArgs.push(token);
    if (takesValue && !inline) {
      i += 1;
      if (isHelm && i < argv.length) helmArgs.push(argv[i]!);
    }
  }
  return helmArgs;
}
