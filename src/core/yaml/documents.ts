import { fastParse, PARSE_OPTIONS } from './fast-parse';
import { parseDocument, visit, type Document, type Node, type YAMLMap, type Pair } from 'yaml';
import { isMap, isSeq, isPair, isScalar, isAlias } from './api';

/**
 * One YAML document of a multi-document file. The text is split at document markers first so that an edit inside
 * one document re-parses only that document: `---` at column 0 always starts a document in YAML 1.2, so a lexical
 * split agrees with the parser.
 */
export interface YamlDocument {
  fileId: string;
  /** Position of the document in its file (0-based). */
  index: number;
  /** Offset of the document's first character in the file. All node ranges are relative to this. */
  base: number;
  text: string;
  doc: Document.Parsed;
  /** The document's value as plain data (aliases resolved), or undefined when it is empty or unusable. */
  value: unknown;
  /** Syntax errors with offsets relative to the file. */
  errors: { message: string; start: number; end: number }[];
  /** True when Helm/Go template syntax makes the document unparseable as real YAML. */
  templated: boolean;
  /**
   * For a document embedded in another file (a heredoc fed to `kubectl apply -n NS -f -`, a fenced block in
   * Markdown): the namespace that command gives it, with where it is written. The workspace's namespace model reads
   * it like a `kubectl apply -n` line naming a file; metadata.namespace in the document still wins, as with kubectl.
   */
  applyNamespace?: AppliedNamespace;
  /**
   * Scalars holding a placeholder something else fills in before Kubernetes sees the value: kustomize `$(VAR)`
   * anywhere, and `$VAR`/`${VAR}`/`$(cmd)` in a heredoc the shell expands. Ranges relative to `base`, like node
   * ranges. Findings inside them are dropped: the field is not judged, the rest of the document is.
   */
  placeholders: [number, number][];
  /** True for the body of an unquoted heredoc (see ChunkOptions). */
  shellExpands?: boolean;
}

export interface ChunkOptions {
  applyNamespace?: AppliedNamespace;
  /** True for the body of an unquoted heredoc, where the shell expands variables before kubectl reads it. */
  shellExpands?: boolean;
}

/** A namespace given to resources from outside their document, and where that is said. */
export interface AppliedNamespace {
  namespace: string;
  /** The file and span of the `-n NS` (or kustomization `namespace:`) that says so. */
  fileId: string;
  start: number;
  end: number;
  /** How a hover describes it, e.g. `kubectl apply -n` or `kustomization namespace`. */
  via: string;
}

const MARKER = /^---(?=[ \t\r\n]|$)/;

export interface Chunk {
  base: number;
  text: string;
}

/**
 * Splits a file into document chunks at `---` lines. A leading BOM is kept in the first chunk's offset base. A run
 * of empty documents (only `---` lines, blank lines and comments) is one chunk: they define nothing, and 5 MB of
 * `---` lines would otherwise be 1.3 million documents to keep and check.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let lastBlank = false;
  const emit = (base: number, end: number, maybeBlank: boolean) => {
    const blank = maybeBlank && isBlankChunk(text.slice(base, Math.min(end, base + 4096)), end - base <= 4096);
    const last = chunks[chunks.length - 1];
    if (blank && lastBlank && last) last.text = text.slice(last.base, end);
    else chunks.push({ base, text: text.slice(base, end) });
    lastBlank = blank;
  };
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineStart = start;
  let seenContent = false;
  while (lineStart < text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    const c = text.charCodeAt(lineStart);
    if (c === 0x2d /* - */ && MARKER.test(text.slice(lineStart, Math.min(nl + 1, lineStart + 5)))) {
      if (seenContent || lineStart > start) emit(start, lineStart, !seenContent);
      start = lineStart;
      seenContent = false;
    } else if (c !== 0x23 /* # */ && c !== 0x0a && c !== 0x0d && c !== 0x25 /* % */) {
      seenContent = true;
    }
    lineStart = nl + 1;
  }
  if (start < text.length || chunks.length === 0) chunks.push({ base: start, text: text.slice(start) });
  return chunks;
}

const TEMPLATE = /\{\{[-\s]|\{\{[.$a-zA-Z]/;

const KUSTOMIZE_VAR = /\$\([A-Za-z_][\w.-]*\)/;
const SHELL_EXPANSION = /\$(?:[A-Za-z_]\w*|\{[^}\n]*\}|\([^)\n]*\)|[0-9@*#?!])|`[^`\n]+`/;

function placeholdersOf(doc: Document.Parsed, text: string, shellExpands: boolean): [number, number][] {
  const pattern = shellExpands ? SHELL_EXPANSION : KUSTOMIZE_VAR;
  if (!pattern.test(text)) return [];
  const out: [number, number][] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (node.range && typeof node.value === 'string' && pattern.test(node.value)) out.push([node.range[0], node.range[1]]);
    },
  });
  return out;
}

/** Literal (`|`) and folded (`>`) scalars that hold template syntax, as [start, end) ranges of the chunk. */
function templateBlockScalars(doc: Document.Parsed): [number, number][] {
  const out: [number, number][] = [];
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range && typeof node.value === 'string' && TEMPLATE.test(node.value)) out.push([node.range[0], node.range[1]]);
    },
  });
  return out;
}

/** The text with the given ranges blanked out (same length, so nothing else moves). */
function withoutRanges(text: string, ranges: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    out += text.slice(at, start) + ' '.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

/** What a chunk's options add to its document (shared by the full parse and the shortcuts below). */
function extras(options: ChunkOptions): Pick<YamlDocument, 'applyNamespace' | 'shellExpands'> {
  const out: Pick<YamlDocument, 'applyNamespace' | 'shellExpands'> = {};
  if (options.applyNamespace) out.applyNamespace = options.applyNamespace;
  if (options.shellExpands) out.shellExpands = true;
  return out;
}

/**
 * One parse of an empty document, shared by every chunk that holds nothing but its `---` line, blank lines and
 * comments: 5 MB of `---` lines are 1.3 million documents, and a full parse of each took minutes and gigabytes. Never
 * mutated (nothing edits an empty document's nodes: it has none).
 */
let emptyDoc: Document.Parsed | undefined;

/** True when the chunk is only document markers (no inline content), blank lines and comments. */
function isBlankChunk(text: string, whole = true): boolean {
  if (!whole) return false;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    let i = start;
    // Any line may be a marker: a run of empty documents is merged into one chunk.
    if (text.startsWith('---', i)) i += 3;
    while (i < nl && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
    if (i < nl && text[i] !== '#') return false;
    // A comment right after `---` needs a space before it, or the line is content (`---#` is not a marker).
    if (i < nl && i > start && text[i - 1] === '-') return false;
    start = nl + 1;
  }
  return true;
}

/**
 * The most lines plus flow items a document may have to be parsed: the YAML parser costs tens of microseconds and
 * hundreds of bytes per node, so a 5 MB single-line flow sequence (2.6 million items) took minutes and gigabytes. Istio
 * resources are a few hundred lines; the biggest real ones (generated VirtualServices) stay far below this.
 */
export const MAX_DOCUMENT_ITEMS = 50_000;

/** True when a text has more lines and flow items than MAX_DOCUMENT_ITEMS, and is not to be given to the general parser. */
export function tooLargeToParse(text: string): boolean {
  return text.length > MAX_DOCUMENT_ITEMS && countItems(text, MAX_DOCUMENT_ITEMS) > MAX_DOCUMENT_ITEMS;
}

function countItems(text: string, stopAt: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= stopAt; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x2c /* , */) n++;
  }
  return n;
}

export function parseChunk(fileId: string, index: number, chunk: Chunk, options: ChunkOptions = {}): YamlDocument {
  if (isBlankChunk(chunk.text)) {
    emptyDoc ??= parseDocument('', PARSE_OPTIONS);
    return { fileId, index, base: chunk.base, text: chunk.text, doc: emptyDoc, value: null, errors: [], templated: false, placeholders: [], ...extras(options) };
  }
  if (chunk.text.length > MAX_DOCUMENT_ITEMS && countItems(chunk.text, MAX_DOCUMENT_ITEMS) > MAX_DOCUMENT_ITEMS) {
    emptyDoc ??= parseDocument('', PARSE_OPTIONS);
    // Not ours to judge unless it may be an Istio resource or a Secret (the credentials behind a Gateway); then it
    // is an error, since a gate must not pass what it could not check.
    const ours = /istio\.io|Secret/.test(chunk.text);
    const errors = ours
      ? [{ message: `Document too large to check: more than ${MAX_DOCUMENT_ITEMS} lines and flow items.`, start: chunk.base, end: chunk.base + Math.max(1, Math.min(chunk.text.indexOf('\n') >>> 0, 200)) }]
      : [];
    return { fileId, index, base: chunk.base, text: chunk.text, doc: emptyDoc, value: null, errors, templated: false, placeholders: [], ...extras(options) };
  }
  // Plain block YAML (nearly every manifest) takes the fast path; anything else, and every document with an error,
  // goes through the general parser.
  const fast = fastParse(chunk.text);
  const doc = fast?.doc ?? parseDocument(chunk.text, PARSE_OPTIONS);
  let templated = TEMPLATE.test(chunk.text);
  const len = chunk.text.length;
  const errors = doc.errors.map((e) => {
    // The parser may point one past the end (an unterminated flow collection); keep spans inside the text.
    const start = Math.min(e.pos[0], Math.max(len - 1, 0));
    return { message: e.message.split('\n')[0], start: chunk.base + start, end: chunk.base + Math.min(Math.max(e.pos[1], start + 1), len) };
  });
  let value: unknown;
  if (fast) {
    value = fast.value;
  } else if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      errors.push({ message: (err as Error).message, start: chunk.base, end: chunk.base + 1 });
    }
  }
  const placeholders = placeholdersOf(doc, chunk.text, options.shellExpands ?? false);
  // Template syntax inside block scalars only (an injection template or an example carried in a ConfigMap of rendered
  // manifests) leaves the document's structure intact: it is linted, and those scalars are placeholders.
  if (templated && errors.length === 0) {
    const blocks = templateBlockScalars(doc);
    if (blocks.length > 0 && !TEMPLATE.test(withoutRanges(chunk.text, blocks))) {
      templated = false;
      placeholders.push(...blocks);
    }
  }
  const d: YamlDocument = { fileId, index, base: chunk.base, text: chunk.text, doc, value, errors, templated, placeholders };
  if (options.applyNamespace) d.applyNamespace = options.applyNamespace;
  if (options.shellExpands) d.shellExpands = true;
  return d;
}

/** True when [start, end) (offsets in the file) lies inside a placeholder scalar of the document. */
export function inPlaceholder(d: YamlDocument, start: number, end: number): boolean {
  for (const [s, e] of d.placeholders) if (d.base + s <= start && end <= d.base + e) return true;
  return false;
}

/**
 * The plain-data value of every document of a multi-document text (null for an empty or unusable one), for output
 * that is only read, never linted: a kustomize build of a whole overlay.
 */
export function documentValues(text: string): unknown[] {
  return splitDocuments(text).map((c) => {
    const fast = fastParse(c.text);
    if (fast) return fast.value;
    const doc = parseDocument(c.text, PARSE_OPTIONS);
    if (doc.errors.length) return null;
    try {
      return doc.toJS({ maxAliasCount: 100 });
    } catch {
      return null;
    }
  });
}

export function parseYamlFile(fileId: string, text: string): YamlDocument[] {
  return splitDocuments(text).map((c, i) => parseChunk(fileId, i, c));
}

export type PathSegment = string | number;

/** The node at `path` inside the document, following aliases; undefined when some segment is missing. */
export function nodeAt(doc: Document, path: readonly PathSegment[], length = path.length): Node | undefined {
  let node: Node | null | undefined = doc.contents as Node | null;
  for (let i = 0; i < length; i++) {
    const seg = path[i];
    if (node && isAlias(node)) node = node.resolve(doc) as Node | undefined;
    if (!node) return undefined;
    if (isMap(node)) {
      const pair = findPair(node, String(seg));
      node = pair ? (pair.value as Node | null) : undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | undefined;
    } else {
      return undefined;
    }
  }
  return node ?? undefined;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length <= PAIR_INDEX_FROM) {
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair;
    }
    return undefined;
  }
  return pairIndex(map).get(key);
}

/**
 * Past a few keys a map's pairs are indexed by key (the first pair of each, as the scan found): a span per key of a
 * Secret or ConfigMap with 45,000 keys scanned the map each time, 52 s CPU. The index is rebuilt if the items change.
 */
const PAIR_INDEX_FROM = 16;
const pairIndexes = new WeakMap<YAMLMap, { items: unknown[]; length: number; byKey: Map<string, Pair> }>();

function pairIndex(map: YAMLMap): Map<string, Pair> {
  const hit = pairIndexes.get(map);
  if (hit && hit.items === map.items && hit.length === map.items.length) return hit.byKey;
  const byKey = new Map<string, Pair>();
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const k = String(item.key.value);
    if (!byKey.has(k)) byKey.set(k, item as Pair);
  }
  pairIndexes.set(map, { items: map.items, length: map.items.length, byKey });
  return byKey;
}

/**
 * The smallest meaningful span for a path: the value node when it exists, the key when the value is empty, and
 * the nearest existing ancestor's key otherwise. `which: 'key'` prefers the key (for "unknown field" findings).
 */
export function spanOf(d: YamlDocument, path: readonly PathSegment[], which: 'value' | 'key' = 'value'): { start: number; end: number } {
  return computeSpan(d, path, which);
}

function computeSpan(d: YamlDocument, path: readonly PathSegment[], which: 'value' | 'key'): { start: number; end: number } {
  // Prefixes of the path are walked in place (nodeAt's length): spans are asked for thousands of times per lint.
  for (let n = path.length; n >= 0; n--) {
    if (n > 0 && typeof path[n - 1] === 'string') {
      const parent = nodeAt(d.doc, path, n - 1);
      if (parent && isMap(parent)) {
        const pair = findPair(parent, String(path[n - 1]));
        if (pair) {
          const v = pair.value as Node | null;
          const k = pair.key as Node;
          const target = which === 'key' || n < path.length || !v || !v.range ? k : v;
          if (target.range) return { start: d.base + target.range[0], end: d.base + target.range[1] };
        }
      }
      continue;
    }
    const node = nodeAt(d.doc, path, n);
    if (node?.range) {
      // A whole collection is too big a range: point at its first line only.
      const end = isMap(node) || isSeq(node) ? firstLineEnd(d.text, node.range[0], node.range[1]) : node.range[1];
      return { start: d.base + node.range[0], end: d.base + end };
    }
  }
  return { start: d.base, end: d.base + firstLineEnd(d.text, 0, d.text.length) };
}

function firstLineEnd(text: string, start: number, end: number): number {
  const nl = text.indexOf('\n', start);
  const e = nl < 0 || nl > end ? end : nl;
  return text.charCodeAt(e - 1) === 0x0d ? e - 1 : e;
}
