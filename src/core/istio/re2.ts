import { RE2JS } from '@bufbuild/re2';

/**
 * Regular expressions with RE2's syntax and semantics, which is what the Kubernetes API server uses for a CRD's
 * `pattern` and for CEL's `matches()` (Go's regexp package). JavaScript's RegExp accepts things RE2 rejects
 * (look-around, back-references) and rejects things RE2 accepts (`(?i)` flags, `\pL`, `[[:alpha:]]`, `\z`), and reads
 * `[[:alpha:]]` differently, so every pattern is first parsed by RE2JS (a port of RE2, @bufbuild/re2). Matching then
 * runs on V8's RegExp when the pattern uses only syntax whose meaning is the same in both (about 50× faster than the
 * RE2 port), and on RE2JS otherwise.
 */
export interface Re2 {
  /** RE2's unanchored search, like Go's `MatchString` and CEL's `matches`. */
  test(s: string): boolean;
}

const cache = new Map<string, Re2 | { error: string }>();

// Constructs whose meaning differs between RE2 and JavaScript, or which JavaScript lacks: flag groups and named groups
// `(?`, classes `\p \P`, POSIX classes `[:`, anchors `\A \z`, quoting `\Q`, `\C`, and `\s` (RE2's is ASCII only).
const DIFFERS = /\(\?(?!:)|\\[pPAzQCsS]|\[:/;

/** The compiled pattern, or the RE2 parse error (cached either way). */
export function re2(pattern: string): Re2 | { error: string } {
  let r = cache.get(pattern);
  if (!r) {
    r = compile(pattern);
    // The CRDs' patterns are a few hundred; a CEL rule could match against user text, so the cache is bounded.
    if (cache.size > 4096) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}

function compile(pattern: string): Re2 | { error: string } {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  if (!DIFFERS.test(pattern)) {
    try {
      const js = new RegExp(pattern, 'u');
      return { test: (s) => js.test(s) };
    } catch {
      // Valid RE2 that V8 reads otherwise: fall through to the RE2 port.
    }
  }
  return { test: (s) => re.test(s) };
}
