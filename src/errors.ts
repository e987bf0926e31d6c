/**
 * Typed errors carrying their documented exit code (DESIGN.md "Exit codes").
 * Anything thrown that is not an ImageguardError is a bug: main.ts prints it briefly, with the stack only under --debug.
 */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  helm: 3,
  registry: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class ImageguardError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Extra lines shown after the message (e.g. helm's own stderr). */
  readonly detail?: string;
  constructor(message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.detail = options?.detail;
  }
}

/** Bad flags, bad config, bad chart path, unparseable input: exit 2. */
export class UsageError extends ImageguardError {
  readonly exitCode = ExitCode.usage;
}

/** helm missing, render failed, release not found: exit 3. helm's own message goes in `detail`. */
export class HelmError extends ImageguardError {
  readonly exitCode = ExitCode.helm;
}

/** kubectl missing or failed (audit): exit 3 like helm, since an external tool failed. kubectl's own message in `detail`. */
export class KubectlError extends ImageguardError {
  readonly exitCode = ExitCode.helm;
}

/** Registry failure (pin): exit 4. */
export class RegistryError extends ImageguardError {
  readonly exitCode = ExitCode.registry;
}
