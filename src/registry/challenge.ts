/** `WWW-Authenticate` challenges (RFC 7235), as registries send them: `Bearer realm="...",service="...",scope="..."`. */

export interface Challenge {
  /** Lower-cased: `basic`, `bearer`, ... */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const MAX_HEADER = 8192;

/**
 * Parses every challenge in a header value (several may be joined with commas). Linear in the input; malformed
 * parts are skipped rather than thrown on, since the header comes from the network.
 */
export function parseChallenges(value: string | undefined): Challenge[] {
  if (!value) return [];
  const s = value.slice(0, MAX_HEADER);
  const challenges: Challenge[] = [];
  let i = 0;
  const skip = (chars: string): void => {
    while (i < s.length && chars.includes(s[i]!)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TOKEN.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const quoted = (): string => {
    let out = '';
    i++; // opening quote
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      out += s[i];
      i++;
    }
    i++; // closing quote
    return out;
  };
  let current: Challenge | null = null;
  while (i < s.length) {
    skip(' \t,');
    if (i >= s.length) break;
    const name = token();
    if (name === '') {
      i++; // not a token character: skip it
      continue;
    }
    skip(' \t');
    if (s[i] === '=' && current) {
      i++;
      skip(' \t');
      const paramValue = s[i] === '"' ? quoted() : token();
      current.params[name.toLowerCase()] = paramValue;
      continue;
    }
    if (s[i] === '=' && !current) {
      i++; // a parameter with no scheme before it: ignore it
      continue;
    }
    // A token not followed by '=' starts a new challenge (token68 credentials are not used by registries).
    current = { scheme: name.toLowerCase(), params: {} };
    challenges.push(current);
  }
  return challenges;
}

/** The challenge to answer: Bearer when offered (registries prefer it), else Basic; null when neither. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | null {
  return challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ?? challenges.find((c) => c.scheme === 'basic') ?? null;
}
