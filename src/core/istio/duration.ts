// Durations as Istio reads them. The CRDs type every duration as a string checked by CEL (`duration(self) >=
// duration('1ms')`), which takes Go's time.ParseDuration syntax (`1.5s`, `300ms`, `1h30m`). The webhook then adds
// what CEL does not say: the value must be a whole number of milliseconds (and of seconds for a CORS maxAge).
// Malformed strings and values under 1 ms are the CRD layer's findings, so these helpers stay silent on them.

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const PART = /([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/y;

/** Go's time.ParseDuration in nanoseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m || m.index !== at) return undefined;
    const [, whole, frac = '', unit] = m;
    if (whole === '' && frac === '') return undefined;
    const scale = UNIT_NS[unit];
    total += BigInt(whole || '0') * scale;
    // Go keeps the fraction to nanosecond precision and drops the rest.
    if (frac !== '') total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
  }
  // Go's time.Duration is an int64 of nanoseconds (about ±292 years); beyond it ParseDuration fails.
  if (total > 9_223_372_036_854_775_807n) return undefined;
  return sign * total;
}

const MS = 1_000_000n;
const SECOND = 1_000_000_000n;

/**
 * The webhook's precision check (agent.ValidateDuration): a duration of at least 1 ms must be a whole number of
 * milliseconds. Returns Istio's reason, or undefined when the value is fine or is not a readable duration.
 */
export function durationPrecisionProblem(v: unknown, unit: 'ms' | 's' = 'ms'): string | undefined {
  if (typeof v !== 'string') return undefined;
  const ns = parseGoDuration(v.trim());
  if (ns === undefined || ns < MS) return undefined;
  if (ns % MS !== 0n) return 'only durations to ms precision are supported';
  if (unit === 's' && ns % SECOND !== 0n) return 'it is accurate only to seconds';
  return undefined;
}
