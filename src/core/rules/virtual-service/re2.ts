// Route regexes are compiled by Go's regexp package (RE2 syntax) in the webhook and by RE2 in Envoy. JavaScript's
// engine accepts constructs RE2 refuses (lookaround, backreferences, possessive `++`) and refuses some RE2 accepts
// (`(?P<name>…)`, `\Q…\E`, `[[:alpha:]]`), so neither can stand in for the other. @bufbuild/re2 is a pure
// TypeScript port of RE2's parser (by way of RE2J, itself a port of Go's regexp/syntax): it gives Go's verdict and
// Go's wording without a native addon or a download at install time.
import { RE2JS } from '@bufbuild/re2';

const cache = new Map<string, string | undefined>();
const PREFIX = 'error parsing regexp: ';

/** Go's parse error for `re` (without the "error parsing regexp:" prefix), or undefined when RE2 compiles it. */
export function re2Problem(re: string): string | undefined {
  if (cache.has(re)) return cache.get(re);
  let problem: string | undefined;
  try {
    new RE2JS(re);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    problem = msg.startsWith(PREFIX) ? msg.slice(PREFIX.length) : msg;
  }
  // Linting a workspace sees the same few patterns again and again; the cache stays small in practice.
  if (cache.size > 4096) cache.clear();
  cache.set(re, problem);
  return problem;
}
