import type { Span } from '../types';

/**
 * `kubectl create secret` lines found in shell scripts, Makefiles and Markdown code blocks. The parser understands
 * what people write in practice (backslash continuations, quotes, `-n`/`--namespace` anywhere, `--from-file` with
 * and without a key, `secret tls --cert/--key`) and stops at the end of the command (`|`, `&&`, `;`, `>`).
 */
export interface KubectlSecret {
  fileId: string;
  /** `configmap` for `kubectl create configmap`, which carries Gateway API client CAs (`ca.crt`). */
  type: 'generic' | 'tls' | 'configmap';
  name: string;
  nameSpan: Span;
  namespace: string | undefined;
  /** The whole command, continuation lines included. */
  span: Span;
  files: KubectlFile[];
}

export interface KubectlFile {
  /** Secret key: explicit (`key=path`), `tls.crt`/`tls.key` for `secret tls`, else the file's base name. */
  key: string | undefined;
  path: string;
  /** The path token in the script. */
  span: Span;
  /** True when the path holds a shell or make variable meshtls cannot expand. */
  dynamic: boolean;
}

export interface Token {
  text: string;
  start: number;
  end: number;
  /** Unquoted shell operator such as `|` or `&&`. */
  op: boolean;
  dynamic: boolean;
}

/** Splits shell words with their offsets. Good enough for one-line commands; not a shell. */
export function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') break;
    if (c === '|' || c === ';' || c === '&' || c === '>' || c === '<' || c === ')' || c === '`') {
      out.push({ text: c, start: i, end: i + 1, op: true, dynamic: false });
      i++;
      continue;
    }
    // The word is sliced from the text in runs of plain characters; only quotes and backslashes make it differ from
    // the source (building every word a character at a time was most of reading 160,000 kubectl lines).
    let word = '';
    const start = i;
    let run = i;
    let dynamic = false;
    while (i < to) {
      const d = text[i];
      if (d === ' ' || d === '\t' || d === '\n' || d === '\r' || d === '|' || d === ';' || d === '&' || d === '>' || d === '<' || d === ')' || d === '`') break;
      if (d === '\\' && text[i + 1] === '\n') break;
      if (d === "'") {
        word += text.slice(run, i);
        const e = text.indexOf("'", i + 1);
        const stop = e < 0 || e > to ? to : e;
        word += text.slice(i + 1, stop);
        i = stop + 1;
        run = i;
      } else if (d === '"') {
        word += text.slice(run, i);
        let j = i + 1;
        while (j < to && text[j] !== '"') {
          if (text[j] === '\\' && j + 1 < to) {
            word += text[j + 1];
            j += 2;
            continue;
          }
          if (text[j] === '$') dynamic = true;
          word += text[j++];
        }
        i = j + 1;
        run = i;
      } else if (d === '\\' && i + 1 < to) {
        word += text.slice(run, i) + text[i + 1];
        i += 2;
        run = i;
      } else {
        if (d === '$') dynamic = true;
        i++;
      }
    }
    if (run < i) word += text.slice(run, Math.min(i, to));
    out.push({ text: word, start, end: Math.min(i, to), op: false, dynamic });
  }
  return out;
}

/** Line ranges worth scanning: every line of a script, fenced code blocks of Markdown. */
export function commandRegions(fileId: string, text: string): [number, number][] {
  if (!/\.(md|markdown)$/i.test(fileId)) return [[0, text.length]];
  const out: [number, number][] = [];
  const fence = /^ {0,3}(```|~~~)[^\n]*$/gm;
  let open: number | undefined;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    if (open === undefined) open = m.index + m[0].length;
    else {
      out.push([open, m.index]);
      open = undefined;
    }
  }
  return out;
}

/** Where a shell command starting at `start` ends: the end of its line, following backslash continuations, never past `to`. */
export function commandEnd(text: string, start: number, to: number): number {
  let end = start;
  for (;;) {
    let nl = text.indexOf('\n', end);
    if (nl < 0 || nl > to) nl = to;
    const lineEnd = text[nl - 1] === '\r' ? nl - 1 : nl;
    if (text[lineEnd - 1] === '\\' && nl < to) end = nl + 1;
    else return lineEnd;
  }
}

/** Flags whose separate value could be mistaken for the secret name. */
const VALUED_FLAGS = new Set(['-o', '--output', '--type', '--from-literal', '--from-env-file', '--context', '--kubeconfig', '--dry-run', '--field-manager']);

const SPAN = (fileId: string, start: number, end: number): Span => ({ fileId, start, end });

export function findKubectlSecrets(fileId: string, text: string): KubectlSecret[] {
  if (!text.includes('kubectl') || !(text.includes('secret') || text.includes('configmap'))) return [];
  const out: KubectlSecret[] = [];
  forEachCommand(text, commandRegions(fileId, text), /\bkubectl\b/g, (m, to) => {
    const end = commandEnd(text, m.index, to);
    const parsed = parseCommand(fileId, text, m.index, end);
    if (parsed) out.push(parsed);
    return Math.max(end, m.index + 7);
  });
  return out;
}

/**
 * Calls `visit` for each match of the global `re` inside the regions (ascending, disjoint), in order; `visit` returns
 * where the search goes on (the end of the command). A match found past the end of one region is kept for the next
 * rather than searched for again from each region's start: that search ran to the next command of the whole file, and a
 * Markdown file of 650,000 empty fences before its only command took minutes.
 */
export function forEachCommand(text: string, regions: [number, number][], re: RegExp, visit: (m: RegExpExecArray, to: number) => number): void {
  let m: RegExpExecArray | null | undefined;
  for (const [from, to] of regions) {
    if (m === undefined || (m && m.index < from)) {
      re.lastIndex = from;
      m = re.exec(text);
    }
    // No match on from here: none in any later region either.
    if (!m) return;
    while (m && m.index < to) {
      re.lastIndex = visit(m, to);
      m = re.exec(text);
    }
  }
}

function parseCommand(fileId: string, text: string, start: number, end: number): KubectlSecret | undefined {
  const all = tokenize(text, start, end);
  const stop = all.findIndex((t) => t.op);
  const tokens = stop < 0 ? all : all.slice(0, stop);
  let namespace: string | undefined;
  const positionals: Token[] = [];
  const files: KubectlFile[] = [];
  // A flag's value: the rest of `--flag=value`, else the next token (then skipped).
  let skip = 0;
  const valueOf = (i: number, flagName: string): Token | undefined => {
    const t = tokens[i];
    if (t.text.length > flagName.length && t.text[flagName.length] === '=' && t.text.startsWith(flagName)) {
      skip = 0;
      return { text: t.text.slice(flagName.length + 1), start: t.start + flagName.length + 1, end: t.end, op: t.op, dynamic: t.dynamic };
    }
    skip = 1;
    return tokens[i + 1];
  };
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    const w = t.text;
    if (w[0] !== '-') {
      positionals.push(t);
    } else if (w === '-n' || w === '--namespace' || w.startsWith('--namespace=') || (w[1] === 'n' && w.length > 2 && !/\s/.test(w[2]))) {
      if (w[1] === 'n' && w.length > 2) namespace = w.slice(2);
      else {
        namespace = valueOf(i, '--namespace')?.text;
        i += skip;
      }
    } else if (w === '--from-file' || w.startsWith('--from-file=')) {
      const value = valueOf(i, '--from-file');
      i += skip;
      if (!value) continue;
      const eq = value.text.indexOf('=');
      const key = eq > 0 ? value.text.slice(0, eq) : undefined;
      const p = eq > 0 ? value.text.slice(eq + 1) : value.text;
      // The token's text may differ from the source when quoted; point at the whole token then.
      const pathStart = eq > 0 && text.indexOf('=', value.start) === value.start + eq ? value.start + eq + 1 : value.start;
      files.push({ key, path: p, span: SPAN(fileId, pathStart, value.end), dynamic: value.dynamic });
    } else if (w === '--cert' || w.startsWith('--cert=') || w === '--key' || w.startsWith('--key=')) {
      const flagName = w.startsWith('--cert') ? '--cert' : '--key';
      const value = valueOf(i, flagName);
      i += skip;
      if (value) files.push({ key: flagName === '--cert' ? 'tls.crt' : 'tls.key', path: value.text, span: SPAN(fileId, value.start, value.end), dynamic: value.dynamic });
    } else if (VALUED_FLAGS.has(w)) {
      // Flags with a separate value that could be mistaken for the secret name.
      i++;
    }
  }
  // positionals: create secret (generic|tls) NAME
  const words = positionals.map((p) => p.text);
  const c = words.indexOf('create');
  if (c < 0 || (words[c + 1] !== 'secret' && words[c + 1] !== 'configmap')) return undefined;
  const configmap = words[c + 1] === 'configmap';
  const type = configmap ? 'configmap' : words[c + 2];
  if (type !== 'generic' && type !== 'tls' && type !== 'configmap') return undefined;
  const nameTok = positionals[configmap ? c + 2 : c + 3];
  if (!nameTok || nameTok.dynamic) return undefined;
  return {
    fileId,
    type,
    name: nameTok.text,
    nameSpan: SPAN(fileId, nameTok.start, nameTok.end),
    namespace: namespace && !namespace.includes('$') ? namespace : undefined,
    span: SPAN(fileId, start, end),
    files,
  };
}
