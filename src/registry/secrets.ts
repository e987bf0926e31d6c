/**
 * Every secret the registry client has handled in this run (passwords, their Basic encodings, tokens), so that
 * any text it shows (a registry's error answer, a debug line) can be scrubbed of them before it is printed.
 * Nothing the client prints is built from a secret in the first place; this is the second line of defence.
 */
const MIN_SECRET_LENGTH = 4;

export class Secrets {
  private readonly values = new Set<string>();

  add(secret: string): void {
    if (secret.length >= MIN_SECRET_LENGTH) this.values.add(secret);
  }

  /** Adds a username/password pair and the forms it travels in (base64 for Basic, URL-encoded for grants). */
  addCredential(username: string, password: string): void {
    this.add(password);
    this.add(encodeURIComponent(password));
    this.add(Buffer.from(`${username}:${password}`).toString('base64'));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out;
  }
}
