/**
 * What meshtls echoes back of the files it reads passes through here. A pull request controls every value and file
 * name, and the output lands in CI logs and terminals: key material that ended up in a YAML field (a values mix-up
 * rendering the key as `credentialName`) must not be printed, a 5 MB value must not be printed whole, and control
 * characters must not reach a terminal, where a Gateway name could erase its own error line.
 */

/** A PEM block with a body, complete or cut off (a bare `-----BEGIN CERTIFICATE-----` label holds nothing secret). */
const PEM_BLOCK = /-----BEGIN [^\n-]{0,60}-----(?=\s*[A-Za-z0-9+/]{8})[\s\S]*?(?:-----END [^\n-]{0,60}-----|$)/g;
/** A run that reads as base64 (or base64url) of something large: keys, DER, a base64-encoded PEM file. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const REDACTED = '[key material redacted]';
/** Echoed values longer than this are cut. */
export const MAX_ECHOED_VALUE = 100;
/** A whole message is never longer than this. */
const MAX_MESSAGE = 1000;

function looksLikeKey(run: string): boolean {
  // Kubernetes names and DNS names are lower case; fingerprints and serials are hex. Key material mixes cases and
  // digits on every line: about 40 % of random base64 is upper case, so a run with an upper-case letter in fewer
  // than one of eight places is a name or a path (`pki/curve-brainpoolP256r1/fullchain`), never encoded bytes.
  const upper = run.replace(/[^A-Z]/g, '').length;
  return upper * 8 >= run.length && /[a-z]/.test(run) && /[0-9]/.test(run) && !/^[0-9a-fA-F:]+$/.test(run);
}

/** Replaces anything that looks like PEM or base64 key material. */
export function redactKeyMaterial(text: string): string {
  let out = text.includes('-----BEGIN ') ? text.replace(PEM_BLOCK, REDACTED) : text;
  if (out.length >= 40) out = out.replace(BASE64_RUN, (run) => (looksLikeKey(run) ? REDACTED : run));
  return out;
}

/** Cuts a value to `max` characters, saying how long it was. */
export function cutValue(value: string, max = MAX_ECHOED_VALUE): string {
  if (value.length <= max) return value;
  const head = value.slice(0, max);
  // Never leave half of a surrogate pair at the cut.
  const safe = /[\ud800-\udbff]$/.test(head) ? head.slice(0, -1) : head;
  return `${safe}… (${value.length} characters)`;
}

/** A path or URI: no white space, at least one `/`, at most 4096 characters (Linux's PATH_MAX). */
function looksLikePath(value: string): boolean {
  return value.length <= 4096 && value.includes('/') && !/\s/.test(value);
}

/**
 * A finding message as it is stored: key material redacted, every quoted value cut, the whole message capped.
 * Messages quote values as `"value"`, so a quoted run is where a value is.
 */
export function sanitizeMessage(message: string): string {
  let m = redactKeyMaterial(message);
  if (m.length > MAX_ECHOED_VALUE + 2) {
    // Between the 1st and 2nd quote is a value, between the 2nd and 3rd is prose, and so on.
    const parts = m.split('"');
    // A file path or URI is kept whole (the file system bounds it, and a cut path cannot be followed); any other
    // value is cut.
    for (let i = 1; i < parts.length - 1; i += 2) if (!looksLikePath(parts[i])) parts[i] = cutValue(parts[i]);
    m = parts.join('"');
  }
  return m.length > MAX_MESSAGE ? cutValue(m, MAX_MESSAGE) : m;
}

/**
 * Makes control characters visible instead of acted on: C0 (line breaks included, since each finding is one line),
 * DEL, C1, the Unicode line and paragraph separators and the bidirectional overrides (which reorder what a
 * terminal or editor shows). Each becomes a `\xNN` or `\uNNNN` escape.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Every string in a plain-data value, mapped (for views printed as JSON or text). */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f);
    return out as T;
  }
  return value;
}
