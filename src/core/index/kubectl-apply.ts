import { pushTo } from '../collections';
import type { Span } from '../types';
import { commandEnd, commandRegions, forEachCommand, tokenize, type Token } from './kubectl';

/**
 * A `kubectl apply|create [-n NS] -f FILE` line in a shell script, Makefile or Markdown code block: it tells which
 * namespace the documents of FILE land in when they do not set one themselves (kubectl's rule: metadata.namespace
 * wins, else `-n`, else the context's namespace, `default` here).
 */
export interface KubectlApply {
  fileId: string;
  /** The namespace given with `-n`/`--namespace`, after expanding a `for ns in …` loop variable; undefined without one. */
  namespace: string | undefined;
  /** The `-n` value token, for hovers and related locations; the whole command when there is no `-n`. */
  nsSpan: Span;
  /** The paths given with `-f`/`--filename` (files or folders, as written; stdin, URLs and variables are left out). */
  paths: { path: string; span: Span }[];
  /** 1-based line of the command, for "applied by create.sh line 12". */
  line: number;
}

const COMMANDS = new Set(['kubectl', 'oc']);

/** Every `kubectl apply|create … -f FILE` command of a script, one entry per namespace it applies FILE to. */
export function findKubectlApplies(fileId: string, text: string): KubectlApply[] {
  if (!/\b(kubectl|oc)\b/.test(text) || !/\b(apply|create)\b/.test(text)) return [];
  const loops = new Map<string, Loop[]>();
  for (const l of forLoops(text)) pushTo(loops, l.variable, l);
  const ctx: ScriptContext = { fileId, text, loops, assignments: undefined, lineAt: 0, line: 1, flagFrom: 0, flagAt: -1 };
  const out: KubectlApply[] = [];
  forEachCommand(text, commandRegions(fileId, text), /(?<![\w$./-])(kubectl|oc)(?![\w.-])/g, (m, to) => {
    const end = commandEnd(text, m.index, to);
    if (mayNameFiles(ctx, m.index, end)) for (const a of parseApply(ctx, m.index, end)) out.push(a);
    return Math.max(end, m.index + m[0].length);
  });
  return out;
}

// A word that starts `-f` or `--filename`, with any quotes or backslashes between its characters (the shell drops them).
const Q = `["'\\\\]*`;
const FILE_FLAG = new RegExp(`[\\s|;&><)\`]${Q}-${Q}(?:f|-${Q}${[...'filename'].join(Q)})`, 'g');

/**
 * Whether the command from `start` to `end` may give a file with `-f`/`--filename`: when it cannot, it is not
 * tokenized at all (scripts of `kubectl create secret … --from-file` lines, 160,000 in one hostile input, are read for
 * their Secrets already and have no file to apply). Commands are asked in order, so each search for the next flag
 * goes on from where the last one stopped, never over the same text twice.
 */
function mayNameFiles(ctx: ScriptContext, start: number, end: number): boolean {
  if (start < ctx.flagFrom || start > ctx.flagAt) {
    FILE_FLAG.lastIndex = start;
    const m = FILE_FLAG.exec(ctx.text);
    ctx.flagFrom = start;
    ctx.flagAt = m ? m.index : Infinity;
  }
  return ctx.flagAt < end;
}

/**
 * One script being read, with what its commands look up computed once: line numbers are counted on from the last
 * command (commands come in order), and each variable's assignments are found once. Counting from the top, and
 * searching the whole script for a variable, per command made 50,000 `kubectl apply -n $NS` lines take 28 s.
 */
interface ScriptContext {
  fileId: string;
  text: string;
  /** Per variable: its `for` loops, in order. */
  loops: Map<string, Loop[]>;
  /** Per variable: the offsets and values of its plain assignments, in order (found on the first `$VAR`). */
  assignments: Map<string, { at: number; value: string }[]> | undefined;
  /** The offset up to which `line` has been counted. */
  lineAt: number;
  line: number;
  /** The first `-f`/`--filename` word at or after `flagFrom` starts at `flagAt` (Infinity: none). */
  flagFrom: number;
  flagAt: number;
}

interface Loop {
  variable: string;
  words: string[];
  start: number;
  end: number;
}

/** `for VAR in a b c; do … done` loops with literal word lists (a variable list cannot be expanded here). */
function forLoops(text: string): Loop[] {
  const out: Loop[] = [];
  let dones: number[] | undefined;
  for (const m of loopHeads(text)) {
    const words = m.list.split(/\s+/).filter(Boolean).map((w) => w.replace(/^["']|["']$/g, ''));
    if (words.length === 0 || words.some((w) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(w))) continue;
    // Each loop ends at the first `done` after its `do`; the `done`s are found once (searching on from each loop was
    // quadratic in a script of loops without one).
    if (!dones) {
      dones = [];
      const done = /\bdone\b/g;
      for (let d = done.exec(text); d; d = done.exec(text)) dones.push(d.index);
    }
    const d = dones[countBefore(dones, (x) => x, m.end)];
    out.push({ variable: m.variable, words, start: m.index, end: d ?? text.length });
  }
  return out;
}

const LOOP_HEAD = /\bfor\s+([A-Za-z_]\w*)\s+in(?=\s)/g;
const SPACES = /\s*/y;
const SPACE = /\s/;
const WORD = /\w/;
const TERMINATOR = /[;\n]/g;

/**
 * The matches of `/\bfor\s+([A-Za-z_]\w*)\s+in\s+([^;\n]*?)\s*(?:;|\n)\s*do\b/g` (`list` is its second group, `end`
 * where the match ends), found without the regex: its three overlapping runs of spaces backtrack, and `for x in a`
 * followed by 200,000 spaces took 33 s. After `in` and its spaces the list runs to the first `;` or newline (less
 * its trailing spaces), and `do` must follow that `;`, or the spaces after that newline (or a `;` after them); failing
 * that, the spaces after `in` may hold the newline with an empty list. Each position of the text is looked at a
 * bounded number of times: the terminator and what follows it are worked out once per terminator.
 */
export function* loopHeads(text: string): Generator<{ index: number; variable: string; list: string; end: number }> {
  const spaceEnd = (i: number): number => {
    SPACES.lastIndex = i;
    SPACES.exec(text);
    return SPACES.lastIndex;
  };
  const isDo = (i: number): boolean => text.startsWith('do', i) && !WORD.test(text.charAt(i + 2));
  /** Where the match ends when `do` follows a `;` at `i`, else -1. */
  const afterSemicolon = (i: number): number => {
    const d = spaceEnd(i + 1);
    return isDo(d) ? d + 2 : -1;
  };
  // The first terminator at or after `termFrom`, and what its list and match end are, kept for the next head.
  let termFrom = -1;
  let term = -1;
  let listEnd = -1;
  let tailEnd = -1;
  const head = new RegExp(LOOP_HEAD.source, 'g');
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const a = m.index + m[0].length;
    const b = spaceEnd(a);
    if (!(b >= termFrom && b <= term)) {
      TERMINATOR.lastIndex = b;
      const t = TERMINATOR.exec(text);
      termFrom = b;
      term = t ? t.index : text.length;
      let p = term;
      while (p > b && SPACE.test(text[p - 1])) p--;
      listEnd = p;
      if (term === text.length) tailEnd = -1;
      else if (text[term] === ';') tailEnd = afterSemicolon(term);
      else {
        const c = spaceEnd(term);
        tailEnd = text[c] === ';' ? afterSemicolon(c) : -1;
        if (tailEnd < 0 && isDo(c)) tailEnd = c + 2;
      }
    }
    if (tailEnd >= 0) {
      yield { index: m.index, variable: m[1], list: text.slice(b, Math.max(b, listEnd)), end: tailEnd };
      head.lastIndex = tailEnd;
      continue;
    }
    // The spaces after `in` may end the (then empty) list with a newline of their own.
    let newline = false;
    for (let k = a + 1; k < b && !newline; k++) newline = text[k] === '\n';
    let end = -1;
    if (newline) {
      if (text[b] === ';') end = afterSemicolon(b);
      if (end < 0 && isDo(b)) end = b + 2;
    }
    if (end >= 0) {
      yield { index: m.index, variable: m[1], list: '', end };
      head.lastIndex = end;
    } else head.lastIndex = m.index + 1;
  }
}

/** How many entries of a list sorted by `at` come before `offset` (the index of the first at or after it). */
function countBefore<T>(list: readonly T[], at: (x: T) => number, offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(list[mid]) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last entry starting before `offset` of a list sorted by start, or undefined. */
function lastBefore<T>(list: readonly T[], startOf: (x: T) => number, offset: number): T | undefined {
  const n = countBefore(list, startOf, offset);
  return n > 0 ? list[n - 1] : undefined;
}

/** The literal values a `$VAR`/`${VAR}` namespace stands for at `offset`: a loop's words, else the last plain assignment. */
function expand(ctx: ScriptContext, token: Token, offset: number): string[] | undefined {
  const raw = ctx.text.slice(token.start, token.end).replace(/^["']|["']$/g, '');
  const v = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(raw);
  if (!v) return undefined;
  const variable = v[1];
  // Loops are in order of start and, as each ends at the first `done` after its `do`, in order of end too: the last
  // loop of the variable starting before the command is the innermost one, and if it has ended, so have all before it.
  const loop = lastBefore(ctx.loops.get(variable) ?? [], (l) => l.start, offset);
  if (loop && offset < loop.end) return loop.words;
  const last = lastBefore(assignmentsOf(ctx).get(variable) ?? [], (a) => a.at, offset);
  return last === undefined ? undefined : [last.value];
}

/**
 * Every plain assignment of the script (`NS=prod`, `export NS="prod"`), per variable, found in one pass on the first
 * `$VAR`: a search of the whole script per variable took minutes for 130,000 lines each naming a variable of its own.
 */
function assignmentsOf(ctx: ScriptContext): Map<string, { at: number; value: string }[]> {
  if (ctx.assignments) return ctx.assignments;
  const out = new Map<string, { at: number; value: string }[]>();
  // The variable name ends at the `=`, so each line assigns at most one variable, as the per-variable search found.
  const assign = /^[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)=(["']?)([a-z0-9]([-a-z0-9]*[a-z0-9])?)\2[ \t]*(?:#.*)?$/gm;
  for (let a = assign.exec(ctx.text); a; a = assign.exec(ctx.text)) pushTo(out, a[1], { at: a.index, value: a[3] });
  ctx.assignments = out;
  return out;
}

/** 1-based line of `offset`, counted on from the previous call's offset when it is not past this one. */
function lineOf(ctx: ScriptContext, offset: number): number {
  if (offset < ctx.lineAt) {
    ctx.lineAt = 0;
    ctx.line = 1;
  }
  const { text } = ctx;
  for (let i = text.indexOf('\n', ctx.lineAt); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) ctx.line++;
  ctx.lineAt = offset;
  return ctx.line;
}

function parseApply(ctx: ScriptContext, start: number, end: number): KubectlApply[] {
  const { fileId, text } = ctx;
  const all = tokenize(text, start, end);
  const stop = all.findIndex((t) => t.op);
  const tokens = stop < 0 ? all : all.slice(0, stop);
  if (!COMMANDS.has(tokens[0]?.text ?? '')) return [];
  let nsToken: Token | undefined;
  let verb: string | undefined;
  const paths: { path: string; span: Span }[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    const flagValue = (name: string): Token | undefined => {
      if (t.text.startsWith(`${name}=`)) return { ...t, text: t.text.slice(name.length + 1), start: t.start + name.length + 1 };
      i++;
      return tokens[i];
    };
    if (t.text === '-n' || t.text === '--namespace' || t.text.startsWith('--namespace=')) nsToken = flagValue('--namespace');
    else if (/^-n[a-z0-9]/.test(t.text)) nsToken = { ...t, text: t.text.slice(2), start: t.start + 2 };
    else if (t.text === '-f' || t.text === '--filename' || t.text.startsWith('--filename=')) {
      const v = flagValue('--filename');
      if (v && !v.dynamic && v.text !== '-' && !/^[a-z]+:\/\//i.test(v.text)) paths.push({ path: v.text, span: { fileId, start: v.start, end: v.end } });
    } else if (/^-f[^-]/.test(t.text)) {
      const p = t.text.slice(2);
      if (!t.dynamic && !/^[a-z]+:\/\//i.test(p)) paths.push({ path: p, span: { fileId, start: t.start + 2, end: t.end } });
    } else if (t.text.startsWith('-')) {
      if (['-o', '--output', '--context', '--kubeconfig', '--field-manager', '-l', '--selector', '--cluster', '--user'].includes(t.text)) i++;
    } else if (verb === undefined) {
      verb = t.text;
    }
  }
  if ((verb !== 'apply' && verb !== 'create') || paths.length === 0) return [];
  const line = lineOf(ctx, start);
  const commandSpan: Span = { fileId, start, end };
  if (!nsToken) return [{ fileId, namespace: undefined, nsSpan: commandSpan, paths, line }];
  const nsSpan: Span = { fileId, start: nsToken.start, end: nsToken.end };
  const values = nsToken.dynamic ? expand(ctx, nsToken, start) : [nsToken.text];
  // A namespace meshtls cannot know (an unset variable) says nothing about where the file lands.
  if (!values) return [];
  return values.map((namespace) => ({ fileId, namespace, nsSpan, paths, line }));
}
