/**
 * Gitignore-style globs for `ignore` in `.meshtls.yaml`, matched by simulating the pattern as a set of states over
 * the path (Thompson's construction) instead of compiling it to a backtracking RegExp: a pull request controls both
 * the `.meshtls.yaml` and the file names, and `**a**a…**c` against a long name takes minutes in a RegExp engine
 * (picomatch included), while this stays O(path length × pattern length).
 *
 * Semantics (the ones the RegExp form had): `*` any run of characters but `/`, `?` one character but `/`, `**` any
 * run including `/`, `**\/` zero or more whole folders. A pattern with a `/` before its last character, or a leading
 * `/`, is anchored at the root; otherwise it may match after any `/`. A trailing `/` means "this folder and all in
 * it", and a match also covers everything below the matched path.
 */
type Token = { t: 'char'; c: string } | { t: 'any' } | { t: 'star' } | { t: 'globstar' } | { t: 'dirs' };

export type GlobMatcher = (path: string) => boolean;

export function compileGlob(glob: string): GlobMatcher {
  let g = glob.trim();
  const anchored = g.startsWith('/') || g.slice(0, -1).includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '/**');
  const tokens: Token[] = [];
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') {
        tokens.push({ t: 'dirs' });
        i += 2;
      } else {
        tokens.push({ t: 'globstar' });
        i += 1;
        // Runs of stars add nothing but states. (After `**/` the next star starts a segment pattern of its own:
        // `**/*.yaml` must keep its `*`.)
        while (g[i + 1] === '*') i++;
      }
    } else if (c === '*') tokens.push({ t: 'star' });
    else if (c === '?') tokens.push({ t: 'any' });
    else tokens.push({ t: 'char', c });
  }
  const m = tokens.length;
  return (path: string) => run(tokens, m, anchored, path);
}

/**
 * States 0..m say "the next token to match is i"; `inner[i]` says "inside a `**\/` at token i, past at least one
 * character, waiting for a `/`". Each step is O(m), each path character one step.
 */
function run(tokens: Token[], m: number, anchored: boolean, path: string): boolean {
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  let inner = new Uint8Array(m + 1);
  let nextInner = new Uint8Array(m + 1);
  cur[0] = 1;
  close(tokens, m, cur);
  for (let k = 0; k < path.length; k++) {
    const ch = path[k];
    // Whatever follows a match at a `/` is inside the matched folder.
    if (ch === '/' && cur[m]) return true;
    next.fill(0);
    nextInner.fill(0);
    let any = false;
    for (let i = 0; i <= m; i++) {
      if (inner[i]) {
        nextInner[i] = 1;
        if (ch === '/') next[i + 1] = 1;
        any = true;
      }
      if (!cur[i] || i === m) continue;
      const tok = tokens[i];
      switch (tok.t) {
        case 'char':
          if (tok.c === ch) next[i + 1] = 1;
          break;
        case 'any':
          if (ch !== '/') next[i + 1] = 1;
          break;
        case 'star':
          if (ch !== '/') next[i] = 1;
          break;
        case 'globstar':
          next[i] = 1;
          break;
        case 'dirs':
          if (ch === '/') next[i + 1] = 1;
          nextInner[i] = 1;
          break;
      }
    }
    if (!anchored && ch === '/') next[0] = 1;
    close(tokens, m, next);
    for (let i = 0; i <= m && !any; i++) if (next[i] || nextInner[i]) any = true;
    // Anchored, nothing left alive means no match; unanchored, the next `/` starts over.
    if (!any && anchored) return false;
    [cur, next] = [next, cur];
    [inner, nextInner] = [nextInner, inner];
  }
  return cur[m] === 1;
}

/** Adds the states reachable without reading a character: every star-like token may match nothing. */
function close(tokens: Token[], m: number, set: Uint8Array): void {
  for (let i = 0; i < m; i++) {
    const t = tokens[i].t;
    if (set[i] && (t === 'star' || t === 'globstar' || t === 'dirs')) set[i + 1] = 1;
  }
}

/** More alternatives than this from one pattern's braces and the pattern is taken literally (`{a,b}` × 20 is 2^20). */
const MAX_BRACE_EXPANSION = 64;

/**
 * VS Code's glob settings (`meshtls.include`, `meshtls.exclude`) use `{a,b}` alternatives, which compileGlob does not
 * know: each pattern expands to the patterns it stands for (nested braces included), or to itself when it would
 * expand to more than 64.
 */
export function expandBraces(glob: string): string[] {
  const out: string[] = [];
  const expand = (g: string): boolean => {
    const open = innermostOpen(g);
    if (open < 0) {
      out.push(g);
      return out.length <= MAX_BRACE_EXPANSION;
    }
    const close = g.indexOf('}', open);
    const head = g.slice(0, open);
    const tail = g.slice(close + 1);
    for (const alt of g.slice(open + 1, close).split(',')) if (!expand(head + alt + tail)) return false;
    return true;
  };
  return expand(glob) ? [...new Set(out)] : [glob];
}

/** The last `{` before the first `}`: the innermost group, expanded first so nested groups come out right. */
function innermostOpen(g: string): number {
  const close = g.indexOf('}');
  return close < 0 ? -1 : g.lastIndexOf('{', close);
}
