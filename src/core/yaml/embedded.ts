import { splitDocuments, type AppliedNamespace, type Chunk } from './documents';

/**
 * YAML that lives inside other files: heredocs fed to `kubectl apply -f -` (or written to a `.yaml` file) in shell
 * scripts, Makefiles and Markdown shell blocks, and fenced ```yaml blocks in Markdown. Istio's own task pages, the IKS
 * and Cloud Service Mesh guides keep all their configuration this way, so a linter that reads only `.yaml` files sees
 * none of it.
 *
 * A block is returned as the host file's span plus a parse text of exactly the same length, so every offset the YAML
 * parser reports is an offset in the host file once the block's start is added: characters that are not YAML (the
 * tabs `<<-` strips, a console's `> ` continuation prompt, a document marker indented with its Markdown list item) are
 * blanked with spaces instead of removed. Blanking keeps the YAML's meaning whenever every line loses the same
 * prefix, which is what people write; a heredoc whose lines lose different numbers of tabs is reported, not guessed.
 */
export type HostKind = 'shell' | 'markdown' | 'makefile';

export interface EmbeddedBlock {
  /** Offsets of the block's first and one-past-last character in the host file (whole lines, terminator excluded). */
  start: number;
  end: number;
  /** The text the YAML parser reads: the host slice with non-YAML prefixes blanked; same length as end - start. */
  text: string;
  via: 'heredoc' | 'fence';
  /** True for an unquoted heredoc: the shell expands `$VAR`, `${VAR}` and `$(cmd)` in it before kubectl reads it. */
  expands: boolean;
  /** The namespace the command gives it (`kubectl apply -n NS -f - <<EOF`). */
  applyNamespace?: AppliedNamespace;
  /**
   * When the command runs in a loop over literal namespaces (`for ns in a b c; do kubectl apply -n "$ns" -f - <<EOF`),
   * each namespace it is applied in, pointing at the loop's word: the block is one set of documents per namespace.
   */
  loopNamespaces?: AppliedNamespace[];
  /** Columns every line's YAML is shifted right by (after blanking); document markers sit at this column. */
  indent: number;
}

export interface EmbeddedProblem {
  start: number;
  end: number;
  message: string;
}

export interface EmbeddedYaml {
  blocks: EmbeddedBlock[];
  problems: EmbeddedProblem[];
}

const SHELL_FILE = /\.(sh|bash|zsh)$/i;
const MARKDOWN_FILE = /\.(md|markdown)$/i;
const MAKE_FILE = /(^|\/)(Makefile|makefile|GNUmakefile)$/;

/** Which kind of host a file is, by its name; undefined for files that never hold embedded YAML. */
export function hostKindOf(fileId: string): HostKind | undefined {
  if (SHELL_FILE.test(fileId)) return 'shell';
  if (MARKDOWN_FILE.test(fileId)) return 'markdown';
  if (MAKE_FILE.test(fileId)) return 'makefile';
  return undefined;
}

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the end of its content (before `\r\n` or `\n`). */
  end: number;
  /** Offset of the next line's start. */
  next: number;
}

function linesOf(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  let start = from;
  while (start < to) {
    let nl = text.indexOf('\n', start);
    if (nl < 0 || nl >= to) nl = to;
    const end = nl > start && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    out.push({ start, end, next: Math.min(nl + 1, to) });
    if (nl >= to) break;
    start = nl + 1;
  }
  return out;
}

/** Shell code of a Markdown block: its lines lose the fence's indentation, and a console's `$ ` prompt. */
interface Region {
  lines: Line[];
  /** Characters of indentation each line loses before it is read as shell (the fence's indentation). */
  indent: number;
  console: boolean;
  /** Makefile recipe lines start with a tab that is not the shell's. */
  recipe: boolean;
}

const SHELL_INFO = new Set(['', 'sh', 'bash', 'shell', 'zsh', 'console', 'shell-session', 'sh-session', 'terminal', 'shellsession', 'bash-session']);
const YAML_INFO = new Set(['yaml', 'yml']);
const MANIFEST = /^[ \t]*apiVersion[ \t]*:/m;
const MANIFEST_KIND = /^[ \t]*kind[ \t]*:/m;

/** Every block of embedded YAML in a host file, and the blocks that could not be read. */
export function extractEmbeddedYaml(fileId: string, text: string): EmbeddedYaml {
  const kind = hostKindOf(fileId);
  const out: EmbeddedYaml = { blocks: [], problems: [] };
  if (!kind) return out;
  // Cheap pre-check: nearly every script and page has neither.
  if (!text.includes('<<') && !(kind === 'markdown' && /(```|~~~)[ \t]*ya?ml/i.test(text))) return out;
  if (kind === 'markdown') {
    for (const region of markdownRegions(text, out)) scanShell(fileId, text, region, out);
  } else {
    scanShell(fileId, text, { lines: linesOf(text, 0, text.length), indent: 0, console: false, recipe: kind === 'makefile' }, out);
  }
  out.blocks.sort((a, b) => a.start - b.start);
  return out;
}

const FENCE = /^( *)(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

/** Finds fenced code blocks: yaml ones become blocks directly, shell ones are returned for heredoc scanning. */
function markdownRegions(text: string, out: EmbeddedYaml): Region[] {
  const regions: Region[] = [];
  const lines = linesOf(text, 0, text.length);
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(text.slice(lines[i].start, lines[i].end));
    if (!open) continue;
    const indent = open[1].length;
    const marker = open[2];
    // A closing fence uses the opener's character, at least as many of them, and nothing after but blanks.
    const close = new RegExp(`^ *${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(text.slice(lines[j].start, lines[j].end))) j++;
    const info = open[3].toLowerCase().replace(/^\{\.?|\}$/g, '');
    const body = lines.slice(i + 1, j);
    const closed = j < lines.length;
    if (YAML_INFO.has(info) && body.length) {
      const start = body[0].start;
      const end = body[body.length - 1].next;
      const slice = text.slice(start, end);
      // Docs hold fragments, values files and partial specs under ```yaml; only manifests are linted.
      if (MANIFEST.test(slice) && MANIFEST_KIND.test(slice)) {
        if (closed) out.blocks.push(block(text, body, { via: 'fence', expands: false, strip: (l) => Math.min(indent, leadingSpaces(text, l)) }));
        else out.problems.push({ start: lines[i].start + indent, end: lines[i].end, message: `The fenced ${info} block opened here is never closed, so meshtls did not lint it.` });
      }
    } else if (SHELL_INFO.has(info)) {
      // In a transcript (`$ ` prompts) only prompted lines are commands; the rest is output.
      const console = body.some((l) => /^ *\$[ \t]/.test(text.slice(l.start, l.end)));
      regions.push({ lines: body, indent, console, recipe: false });
    }
    i = j;
  }
  return regions;
}

function leadingSpaces(text: string, l: Line): number {
  let n = 0;
  while (l.start + n < l.end && text.charCodeAt(l.start + n) === 0x20) n++;
  return n;
}

function leadingTabs(text: string, l: Line, from: number): number {
  let n = 0;
  while (l.start + from + n < l.end && text.charCodeAt(l.start + from + n) === 0x09) n++;
  return n;
}

/**
 * Builds a block from whole lines: `strip(line)` characters at the start of each line are not YAML and become
 * spaces. A document marker indented by the block's common indentation becomes spaces too, and splits documents
 * (see splitBlock).
 */
function block(text: string, body: Line[], o: { via: EmbeddedBlock['via']; expands: boolean; strip: (l: Line) => number; applyNamespace?: AppliedNamespace; loopNamespaces?: AppliedNamespace[] }): EmbeddedBlock {
  const start = body[0].start;
  const end = body[body.length - 1].next;
  let parse = '';
  let at = start;
  let indent = Infinity;
  for (const l of body) {
    const n = o.strip(l);
    parse += text.slice(at, l.start) + ' '.repeat(n) + text.slice(l.start + n, l.next);
    at = l.next;
    const content = text.slice(l.start + n, l.end);
    if (content.trim() && !content.trimStart().startsWith('#')) indent = Math.min(indent, n + content.length - content.trimStart().length);
  }
  const b: EmbeddedBlock = { start, end, text: parse, via: o.via, expands: o.expands, indent: Number.isFinite(indent) ? indent : 0 };
  if (o.applyNamespace) b.applyNamespace = o.applyNamespace;
  if (o.loopNamespaces?.length) b.loopNamespaces = o.loopNamespaces;
  return b;
}

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
  /** The `<<EOF` token in the host file. */
  start: number;
  end: number;
  /** The pipeline the heredoc feeds, with continuation lines blanked (same offsets as the host text). */
  pipeline: { text: string; start: number };
}

/** Reads heredocs in shell code, line by line; the bodies of heredocs that hold YAML become blocks. */
function scanShell(fileId: string, text: string, region: Region, out: EmbeddedYaml): void {
  const { lines } = region;
  const skip = (l: Line) => Math.min(region.indent, leadingSpaces(text, l));
  // Enclosing loops, innermost last: a `for` over literal words, or a loop whose values cannot be known (null).
  const loops: (Loop | null)[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A logical line runs on over backslash continuations.
    let last = i;
    while (last + 1 < lines.length && text.charCodeAt(lines[last].end - 1) === 0x5c /* \ */) last++;
    const from = lines[i].start + skip(lines[i]);
    const to = lines[last].end;
    const loop = loopAt(text, from, to);
    if (loop !== undefined) loops.push(loop);
    const closesLoop = /^[ \t]*(?:\$[ \t]+)?done\b|;[ \t]*done\b/.test(text.slice(from, to));
    if (text.indexOf('<<', from) < 0 || text.indexOf('<<', from) >= to) {
      if (closesLoop) loops.pop();
      i = last;
      continue;
    }
    let logical = text.slice(from, to).replace(/\\\r?\n/g, (m) => ' '.repeat(m.length));
    if (region.console) {
      const prompt = /^[ \t]*\$[ \t]/.exec(logical);
      if (!prompt) {
        i = last;
        continue; // command output, not a command
      }
      logical = ' '.repeat(prompt[0].length) + logical.slice(prompt[0].length);
    }
    if (region.recipe) logical = logical.replace(/^\t+[@+-]*/, (m) => ' '.repeat(m.length));
    const heredocs = findHeredocs(logical, from);
    let next = last + 1;
    for (const h of heredocs) {
      // The body runs from the line after the command to the delimiter line.
      const body: Line[] = [];
      let j = next;
      let closed = false;
      let prompted = false;
      for (; j < lines.length; j++) {
        let content = text.slice(lines[j].start + skip(lines[j]), lines[j].end);
        if (region.console && /^> ?/.test(content) && (body.length === 0 ? true : prompted)) {
          // A console transcript shows the shell's PS2 prompt in front of each heredoc line.
          if (body.length === 0) prompted = true;
          content = content.replace(/^> ?/, '');
        }
        const bare = h.stripTabs || region.recipe ? content.replace(/^\t+/, '') : content;
        if (bare === h.delimiter) {
          closed = true;
          break;
        }
        body.push(lines[j]);
      }
      const target = yamlTarget(h.pipeline.text, h.pipeline.start);
      if (!closed) {
        // Only a heredoc that holds YAML is worth a finding; `<<` may also be a shift or a heredoc meshtls misread.
        if (target) out.problems.push({ start: h.start, end: h.end, message: `Heredoc "${h.delimiter}" is never closed by a line reading "${h.delimiter}", so meshtls did not lint it.` });
        else continue;
        next = lines.length;
        break;
      }
      next = j + 1;
      if (!target || body.length === 0) continue;
      const slice = text.slice(body[0].start, body[body.length - 1].next);
      if (target.kind === 'file' && !(MANIFEST.test(slice) && MANIFEST_KIND.test(slice))) continue;
      // Tabs `<<-` (or make) strips: every line must lose the same number for the blanked text to mean the same.
      const tabs = h.stripTabs || region.recipe;
      const strip = (l: Line) => {
        const s = skip(l);
        const prompt = prompted && /^> ?/.test(text.slice(l.start + s, l.end)) ? (text.charCodeAt(l.start + s + 1) === 0x20 ? 2 : 1) : 0;
        return s + prompt + (tabs ? leadingTabs(text, l, s + prompt) : 0);
      };
      if (tabs) {
        const counts = new Set(body.filter((l) => text.slice(l.start, l.end).trim()).map((l) => leadingTabs(text, l, skip(l))));
        if (counts.size > 1) {
          out.problems.push({ start: h.start, end: h.end, message: `Heredoc "${h.delimiter}" indents its lines with different numbers of tabs, which <<- strips, so meshtls did not lint it.` });
          continue;
        }
      }
      const ns = target.namespace;
      const over = ns?.variable ? [...loops].reverse().find((l) => l?.variable === ns.variable) : undefined;
      const loopNamespaces = over?.words.map((w) => ({ namespace: w.text, fileId, start: w.start, end: w.end, via: `kubectl apply -n $${ns!.variable} in a for loop` }));
      // A namespace the script computes (`-n "$NS"` outside a loop over names) is not known, but it is not `default`
      // either: the resources get a namespace named after the expression, so two heredocs applied with the same
      // variable share one, and none of them is compared with what lands in `default`.
      const applyNamespace = ns && !loopNamespaces ? { namespace: ns.namespace, start: ns.start, end: ns.end, fileId, via: 'kubectl apply -n' } : undefined;
      out.blocks.push(block(text, body, { via: 'heredoc', expands: !h.quoted, strip, applyNamespace, loopNamespaces }));
    }
    if (closesLoop) loops.pop();
    i = Math.max(last, next - 1);
  }
}

/** The heredoc operators of one logical line, with the pipeline each one feeds. */
function findHeredocs(line: string, offset: number): Heredoc[] {
  const out: Heredoc[] = [];
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break; // a comment
    if (c !== '<' || line[i + 1] !== '<' || line[i + 2] === '<') continue;
    if (i > 0 && line[i - 1] === '<') continue;
    let j = i + 2;
    const stripTabs = line[j] === '-';
    if (stripTabs) j++;
    while (line[j] === ' ' || line[j] === '\t') j++;
    const wordStart = j;
    while (j < line.length && !/[\s;|&<>()]/.test(line[j])) j++;
    const raw = line.slice(wordStart, j);
    if (!raw) continue;
    const delimiter = raw.replace(/['"\\]/g, '');
    out.push({ delimiter, stripTabs, quoted: delimiter !== raw, start: offset + i, end: offset + j, pipeline: pipelineAround(line, i, offset) });
    i = j - 1;
  }
  return out;
}

/** The pipeline (commands joined by a single `|`) that holds position `at`, bounded by `;`, `&&`, `||`, `&`. */
function pipelineAround(line: string, at: number, offset: number): { text: string; start: number } {
  const isBoundary = (k: number) => {
    const c = line[k];
    if (c === ';') return true;
    if (c === '&') return line[k - 1] !== '>' && line[k + 1] !== '>';
    if (c === '|') return line[k + 1] === '|' || line[k - 1] === '|';
    return false;
  };
  let s = at;
  while (s > 0 && !isBoundary(s - 1)) s--;
  let e = at;
  while (e < line.length && !isBoundary(e)) e++;
  return { text: line.slice(s, e), start: offset + s };
}

const KUBECTL = /(?:^|[\s|(])(?:\S*\/)?(?:kubectl|oc)(?=\s)/g;
const STDIN_FILE = /(?:^|\s)(?:-f|--filename)(?:=|\s+)?-(?=\s|$|<)/;
const APPLY_VERB = /(?:^|\s)(apply|create|replace)(?=\s)/;
const YAML_FILE_OUT = /(?:>>?|\btee(?:\s+-a)?)\s*["']?[^\s"'|;&]+\.ya?ml["']?(?=\s|$)/;

/** What a pipeline does with a heredoc: hands it to kubectl (with a namespace) or writes it to a YAML file. */
function yamlTarget(pipeline: string, offset: number): { kind: 'kubectl' | 'file'; namespace?: ReturnType<typeof namespaceFlag> } | undefined {
  for (const segment of segments(pipeline)) {
    KUBECTL.lastIndex = 0;
    // kubectl itself, or what guides alias it to (`k`, `kwest`, `oc`): a command with an apply verb reading `-f -`.
    const k = KUBECTL.exec(segment.text) ?? /^[ \t]*(?:\S*\/)?[A-Za-z][\w.-]*(?=\s)/.exec(segment.text);
    if (!k) continue;
    const args = segment.text.slice(k.index + k[0].length);
    if (!APPLY_VERB.test(args) || !STDIN_FILE.test(args)) continue;
    const argsStart = offset + segment.start + k.index + k[0].length;
    return { kind: 'kubectl', namespace: namespaceFlag(args, argsStart) };
  }
  return YAML_FILE_OUT.test(pipeline) ? { kind: 'file' } : undefined;
}

function segments(pipeline: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let s = 0;
  for (let k = 0; k <= pipeline.length; k++) {
    if (k === pipeline.length || pipeline[k] === '|') {
      out.push({ text: pipeline.slice(s, k), start: s });
      s = k + 1;
    }
  }
  return out;
}

const NAMESPACE_FLAG = /(?:^|\s)(?:-n|--namespace)(?:=|\s+)?(["']?)([^\s"'|;&<>]+)\1(?=\s|$|<)/;
const VARIABLE = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/;

/**
 * `-n NS`, `-nNS`, `--namespace NS`, `--namespace=NS`. A value that is a single shell variable (`$ns`, `"${ns}"`)
 * names the variable, which an enclosing `for` loop may give values; any other expansion fixes nothing.
 */
function namespaceFlag(args: string, offset: number): { namespace: string; start: number; end: number; variable?: string } | undefined {
  const m = NAMESPACE_FLAG.exec(args);
  if (!m) return undefined;
  const start = offset + m.index + m[0].length - m[1].length - m[2].length;
  const v = VARIABLE.exec(m[2]);
  if (v && m[1] !== "'") return { namespace: m[2], start, end: start + m[2].length, variable: v[1] ?? v[2] };
  return { namespace: m[2], start, end: start + m[2].length };
}

interface Loop {
  variable: string;
  /** The loop's words with their offsets; a loop over anything but literal names is recorded as null instead. */
  words: { text: string; start: number; end: number }[];
}

const FOR_LOOP = /^[ \t]*(?:\$[ \t]+)?for[ \t]+([A-Za-z_]\w*)[ \t]+in[ \t]+([^;\n#]*?)[ \t]*(?:;|$)/;
const OTHER_LOOP = /^[ \t]*(?:\$[ \t]+)?(?:for|while|until|select)\b/;
const LITERAL_WORD = /^(["']?)([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\1$/;

/** The loop a line opens: a `for` over literal words, null for any other loop, undefined when it opens none. */
function loopAt(text: string, from: number, to: number): Loop | null | undefined {
  const line = text.slice(from, to);
  const m = FOR_LOOP.exec(line);
  if (!m) return OTHER_LOOP.test(line) ? null : undefined;
  const words: Loop['words'] = [];
  const listStart = from + m.index + m[0].indexOf(m[2], m[0].indexOf(' in') + 3);
  for (const w of m[2].matchAll(/\S+/g)) {
    const lit = LITERAL_WORD.exec(w[0]);
    if (!lit) return null;
    const start = listStart + w.index! + lit[1].length;
    words.push({ text: lit[2], start, end: start + lit[2].length });
  }
  return words.length ? { variable: m[1], words } : null;
}

const MARKER_AT = /^---(?=[ \t\r\n]|$)/;

/**
 * The documents of a block, as chunks with offsets in the host file. A block shifted right (a fence inside a Markdown
 * list item, a `<<-` heredoc) has its `---` markers at that column, where YAML would not see them: they are blanked
 * and split on, like column-0 markers in a file.
 */
export function blockChunks(b: EmbeddedBlock): Chunk[] {
  if (b.indent === 0) return splitDocuments(b.text).map((c) => ({ base: b.start + c.base, text: c.text }));
  const out: Chunk[] = [];
  const pad = ' '.repeat(b.indent);
  let chunkStart = 0;
  let parse = '';
  for (let ls = 0; ls < b.text.length; ) {
    let nl = b.text.indexOf('\n', ls);
    nl = nl < 0 ? b.text.length : nl + 1;
    const line = b.text.slice(ls, nl);
    if (line.startsWith(pad) && MARKER_AT.test(line.slice(b.indent))) {
      if (parse) out.push({ base: b.start + chunkStart, text: parse });
      chunkStart = ls;
      parse = pad + '   ' + line.slice(b.indent + 3);
    } else {
      parse += line;
    }
    ls = nl;
  }
  if (parse || out.length === 0) out.push({ base: b.start + chunkStart, text: parse });
  return out;
}
