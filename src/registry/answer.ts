/** A registry's or token service's error answer in one short line, for messages (secrets are scrubbed by the caller). */
export function answerText(body: Buffer): string {
  const text = body.toString('utf8').trim();
  if (text === '') return '';
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[]; error?: unknown; error_description?: unknown };
    // Distribution: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors
        .slice(0, 3)
        .map((e) => [e.code, e.message].filter((part) => typeof part === 'string' && part !== '').join(': '))
        .join('; ')
        .slice(0, 300);
    }
    // OAuth2 token endpoints: {"error":"invalid_grant","error_description":"..."}
    if (typeof parsed.error === 'string') {
      return [parsed.error, parsed.error_description].filter((part) => typeof part === 'string' && part !== '').join(': ').slice(0, 300);
    }
  } catch {
    // not JSON: the first line of the text
  }
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
