/**
 * Passwords a user put on the command line: inside URLs (`--repo https://user:pw@host`, `oci://user:pw@host/chart`,
 * `--set db=postgres://user:pw@host`) and after helm's `--password`. helm passes them into its own error messages
 * (`looks like "https://user:pw@host" is not a valid chart repository`, `invalid registry "user:pw@host"`), so
 * every text imageguard shows from or about such an argument is scrubbed of them.
 */
const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/gi;
// Shorter ones would scrub ordinary words out of messages; the registry client uses the same floor.
const MIN_SECRET_LENGTH = 4;

export function argvSecrets(args: readonly string[]): string[] {
  const found = new Set<string>();
  const add = (secret: string): void => {
    if (secret.length < MIN_SECRET_LENGTH) return;
    found.add(secret);
    try {
      found.add(decodeURIComponent(secret));
    } catch {
      // not percent-encoded
    }
  };
  args.forEach((arg, i) => {
    for (const match of arg.matchAll(URL_PASSWORD)) add(match[1]!);
    if (arg.startsWith('--password=')) add(arg.slice('--password='.length));
    else if (arg === '--password' && i + 1 < args.length) add(args[i + 1]!);
  });
  return [...found].sort((a, b) => b.length - a.length); // longest first: a secret containing another goes whole
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** An argument as shown in reports and messages: a URL's password replaced with `***`. */
export function withoutPassword(arg: string): string {
  return redactSecrets(arg, argvSecrets([arg]));
}
