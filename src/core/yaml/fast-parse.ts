import { Document, type Node, type Scalar as YamlScalar } from 'yaml';
import { Pair, Scalar, YAMLMap, YAMLSeq } from './api';

type ScalarType = YamlScalar.Type;

/**
 * A fast path for the plain block YAML that Kubernetes manifests are made of: block mappings and sequences, plain and
 * quoted single-line scalars, one-line flow collections, literal and folded block scalars, comments. It builds the
 * same `yaml` nodes (classes, `type`, `range`, `source`, `flow`) and the same plain-data value that `parseDocument` +
 * `toJS` give, in a fraction of the time: the general parser tokenises into a concrete syntax tree first and
 * composes nodes from it, which was more than half of a cold lint.
 *
 * Anything outside that subset — anchors, aliases, tags, explicit keys, quoted or non-string keys, multi-line plain or
 * quoted scalars, flow collections over several lines, directives, tabs, CR line ends, floats and other non-decimal
 * numbers, duplicate keys, anything the general parser would report — makes it decline (return undefined), and the
 * caller parses with `yaml`. Declining is always safe; a document accepted here must give exactly what `yaml`
 * gives, which `test/core/fast-parse.test.ts` checks on every YAML file the project and ../shared hold.
 */
export interface FastParsed {
  doc: Document.Parsed;
  value: unknown;
}

export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'silent' } as const;

/** Thrown (and caught in fastParse) when the text leaves the subset this parser handles. */
const DECLINE = Symbol('decline');

const SPACE = 0x20;
const NL = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

/** Characters a plain scalar may not start with in this subset (YAML indicators, quotes, and the reserved ones). */
const PLAIN_FIRST_BAD = new Set(Array.from('-?:,[]{}#&*!|>\'"%@`', (c) => c.charCodeAt(0)));

// The YAML 1.2 core schema's tests for plain scalars (the `yaml` package's defaults).
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_RE = /^[-+]?[0-9]+$/;
/** Other numbers of the core schema (octal, hex, floats, infinities): declined, they carry formatting details. */
const OTHER_NUMBER_RE = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

function decline(): never {
  throw DECLINE;
}

interface Parsed {
  node: Node;
  value: unknown;
}

class FastParser {
  private readonly text: string;
  private readonly len: number;
  constructor(text: string) {
    this.text = text;
    this.len = text.length;
  }

  /** End of the line holding `p` (index of its `\n`, or the text's length). */
  private eol(p: number): number {
    const i = this.text.indexOf('\n', p);
    return i < 0 ? this.len : i;
  }

  /** Start of the next line that holds content (not blank, not only a comment) at or after line start `p`; -1 at the end. */
  nextContentLine(p: number): number {
    const t = this.text;
    while (p < this.len) {
      let i = p;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (i >= this.len) return -1;
      if (c !== NL && c !== HASH) return p;
      p = this.eol(i) + 1;
    }
    return -1;
  }

  private indentOf(lineStart: number): number {
    let i = lineStart;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - lineStart;
  }

  /**
   * After a value on its line: spaces, an optional comment (after at least one space), the line end. Returns the
   * start of the next line (or the text's length).
   */
  private restOfLine(p: number): number {
    const t = this.text;
    const from = p;
    while (t.charCodeAt(p) === SPACE) p++;
    if (p >= this.len) return this.len;
    const c = t.charCodeAt(p);
    if (c === NL) return p + 1;
    if (c === HASH && p > from) {
      const e = this.eol(p);
      return e >= this.len ? this.len : e + 1;
    }
    return decline();
  }

  /** True when the line at `p` (first non-space character) is a block sequence entry: `-` then space or line end. */
  private isSeqEntry(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const n = this.text.charCodeAt(p + 1);
    return p + 1 >= this.len || n === SPACE || n === NL;
  }

  /**
   * The end of an implicit plain key starting at `p` (the index of its `:`), or -1 when the line is not `key:` + space
   * or line end. Keys are plain, start with no indicator and hold no `: ` or ` #`.
   */
  private keyEnd(p: number): number {
    const t = this.text;
    const c0 = t.charCodeAt(p);
    if (PLAIN_FIRST_BAD.has(c0) || c0 === SPACE || c0 === NL || p >= this.len) return -1;
    for (let i = p + 1; i < this.len; i++) {
      const c = t.charCodeAt(i);
      if (c === NL) return -1;
      if (c === COLON) {
        const n = t.charCodeAt(i + 1);
        if (i + 1 >= this.len || n === SPACE || n === NL) {
          if (t.charCodeAt(i - 1) === SPACE) decline(); // `key :` — the key would end before the space
          return i;
        }
      } else if (c === HASH && t.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * A block node (mapping or sequence) whose first line starts at `lineStart` with content at column `col`, inside a
   * collection at column `parentCol` (0 at the root).
   */
  parseBlock(lineStart: number, col: number, parentCol: number): Parsed & { next: number } {
    const p = lineStart + col;
    if (this.isSeqEntry(p)) return this.parseSeq(p, col, parentCol);
    const ke = this.keyEnd(p);
    if (ke >= 0) return this.parseMap(p, col, ke, parentCol);
    return decline();
  }

  /**
   * The blank and comment lines between the end of a collection's last item and the next content line (or the end)
   * start at the innermost collection and move out one collection at a time, as the general parser closes them; a
   * collection that is not at column 0 keeps them when one of the comments reaches its column, and its range then
   * ends where the next content starts. Returns that end, or -1 when the lines move on.
   */
  private claimedComments(from: number, to: number, col: number): number {
    // The next content line's indentation is part of the claimed run.
    return col > 0 && this.commentIndent(from, to) >= col ? (to < 0 ? this.len : to + this.indentOf(to)) : -1;
  }

  /** The indentation of the deepest comment line in [from, to); -1 when there is none. */
  private commentIndent(from: number, to: number): number {
    const t = this.text;
    const stop = to < 0 ? this.len : to;
    let found = -1;
    for (let p = from; p < stop; ) {
      let i = p;
      while (t.charCodeAt(i) === SPACE) i++;
      if (t.charCodeAt(i) === HASH) found = Math.max(found, i - p);
      p = this.eol(i) + 1;
    }
    return found;
  }

  /** A block mapping at indentation `col` whose first key starts at `p` and ends at `keyEnd` (its colon). */
  private parseMap(p: number, col: number, keyEnd: number, parentCol: number): Parsed & { next: number } {
    const map = newMap();
    const value: Record<string, unknown> = {};
    const seen = new Set<string>();
    const start = p;
    let end = p;
    let next = p;
    for (;;) {
      const keyText = this.text.slice(p, keyEnd);
      if (resolvePlainKind(keyText) !== 'string' || keyText === '__proto__' || seen.has(keyText)) decline();
      seen.add(keyText);
      const key = scalarNode(keyText, keyText, Scalar.PLAIN, p, keyEnd, keyEnd);
      const v = this.parseValue(keyEnd + 1, col, true);
      map.items.push(newPair(key, v.node));
      value[keyText] = v.value;
      end = v.end;
      next = v.next;
      const line = this.nextContentLine(next);
      const ind = line < 0 ? -1 : this.indentOf(line);
      if (ind < col) return this.close(map, value, start, end, next, line, col);
      if (ind > col) decline();
      p = line + ind;
      keyEnd = this.keyEnd(p);
      // Anything but a key at the mapping's own column (a sequence entry included) is an error yaml reports.
      if (keyEnd < 0) decline();
    }
  }

  private parseSeq(p: number, col: number, parentCol: number): Parsed & { next: number } {
    const seq = newSeq();
    const value: unknown[] = [];
    const start = p;
    let end = p;
    let next = p;
    for (;;) {
      const v = this.parseValue(p + 1, col, false);
      seq.items.push(v.node);
      value.push(v.value);
      end = v.end;
      next = v.next;
      const line = this.nextContentLine(next);
      const ind = line < 0 ? -1 : this.indentOf(line);
      if (ind > col) decline();
      if (ind < col || !this.isSeqEntry(line + ind)) {
        // A sequence at its parent mapping's column ends at the parent's next key.
        if (ind === col && col !== parentCol) decline();
        return this.close(seq, value, start, end, next, line, col);
      }
      p = line + ind;
    }
  }

  /**
   * Ends a collection at column `col` whose last item ends at `end`, its trailing lines running from `next` to the
   * next content line `line` (-1: the end of the text).
   */
  private close(node: YAMLMap | YAMLSeq, value: unknown, start: number, end: number, next: number, line: number, col: number): Parsed & { next: number } {
    const claimed = this.claimedComments(next, line, col);
    node.range = [start, end, claimed >= 0 ? claimed : end];
    // Lists grown by push keep room for 17 entries; the parsed tree lives as long as the document, so it keeps
    // exact-size copies (a Gateway's dozen small collections would otherwise hold a kilobyte of empty slots).
    node.items = node.items.slice();
    return { node, value: Array.isArray(value) ? value.slice() : value, next: claimed < 0 ? next : line < 0 ? this.len : line };
  }

  /**
   * The value after a mapping key's colon or a sequence entry's dash, at `p`. `col` is the owner's column: content on
   * later lines belongs to the value only when indented further (or, for a mapping's value, a sequence at the same
   * column). Returns the node, its value, where its range ends and where the next line starts (-1: end of text).
   */
  private parseValue(p: number, col: number, inMap: boolean): Parsed & { end: number; next: number } {
    const t = this.text;
    let i = p;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (i >= this.len || c === NL || (c === HASH && i > p)) {
      // Nothing on this line: the value is on the lines below, or empty.
      const after = this.restOfLine(i);
      const line = this.nextContentLine(after);
      if (line >= 0) {
        const ind = this.indentOf(line);
        if (ind > col || (inMap && ind === col && this.isSeqEntry(line + ind))) {
          const b = this.parseBlock(line, ind, col);
          return { node: b.node, value: b.value, end: b.node.range![2], next: b.next };
        }
      }
      // An empty value takes the blank and comment lines after it into its own tokens: not modelled here.
      if (c === HASH || line < 0 || after !== line) decline();
      const node = scalarNode(null, '', Scalar.PLAIN, i, i, i);
      return { node, value: null, end: i, next: after };
    }
    if (i === p && p < this.len) decline(); // `key:value` cannot happen (keyEnd needs a space); `-x` is not an entry
    if (!inMap && this.isSeqEntry(i)) decline(); // `- - x`: compact nested sequence
    let node: Node;
    let value: unknown;
    let valueEnd: number;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const q = this.quoted(i);
      value = q.value;
      valueEnd = q.end;
      node = scalarNode(value, q.value, c === 0x22 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, i, valueEnd, valueEnd);
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const f = this.flow(i);
      node = f.node;
      value = f.value;
      valueEnd = f.end;
    } else if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      return this.blockScalar(i, col);
    } else if (!inMap && this.keyEnd(i) >= 0) {
      // `- key: value`: a mapping whose column is the key's.
      const m = this.parseMap(i, i - this.lineStartOf(i), this.keyEnd(i), col);
      return { node: m.node, value: m.value, end: m.node.range![2], next: m.next };
    } else {
      if (PLAIN_FIRST_BAD.has(c)) decline();
      let e = i;
      const lineEnd = this.eol(i);
      for (; e < lineEnd; e++) {
        const ch = t.charCodeAt(e);
        if (ch === HASH && t.charCodeAt(e - 1) === SPACE) break;
        if (ch === COLON) {
          const n = t.charCodeAt(e + 1);
          if (e + 1 >= lineEnd || n === SPACE) decline(); // `a: b: c` or a key in a place that is not one
        }
      }
      while (t.charCodeAt(e - 1) === SPACE) e--;
      const src = t.slice(i, e);
      const kind = resolvePlainKind(src);
      if (kind === 'other') decline();
      value = kind === 'string' ? src : kind === 'null' ? null : kind === 'bool' ? src.charCodeAt(0) === 0x74 || src.charCodeAt(0) === 0x54 : parseInt(src, 10);
      valueEnd = e;
      node = scalarNode(value, src, Scalar.PLAIN, i, e, e);
    }
    const next = this.restOfLine(valueEnd);
    this.leafEnds(next, col);
    node.range![2] = next;
    return { node, value, end: next, next };
  }

  /**
   * After a one-line value owned by a collection at column `col`: content indented further continues it (a multi-line
   * scalar) or is an error, and comment lines indented further become part of the value's range — both declined.
   */
  private leafEnds(next: number, col: number): void {
    const line = this.nextContentLine(next);
    if (line >= 0 && this.indentOf(line) > col) decline();
    if (this.commentIndent(next, line) > col) decline();
  }

  private lineStartOf(p: number): number {
    return this.text.lastIndexOf('\n', p - 1) + 1;
  }

  /**
   * A single-line quoted scalar starting at `p`: `'…'` with `''` for a quote, or `"…"` with the common backslash
   * escapes (others, and surrogate `\u` escapes, are declined).
   */
  private quoted(p: number): { value: string; end: number } {
    const t = this.text;
    const quote = t.charCodeAt(p);
    let out = '';
    let from = p + 1;
    for (let i = p + 1; i < this.len; i++) {
      const c = t.charCodeAt(i);
      if (c === NL) decline();
      if (c === quote) {
        if (quote === 0x27 && t.charCodeAt(i + 1) === 0x27) {
          out += t.slice(from, i + 1);
          from = ++i + 1;
          continue;
        }
        out += t.slice(from, i);
        this.notAKey(i + 1);
        return { value: out, end: i + 1 };
      }
      if (c === 0x5c /* \ */ && quote === 0x22) {
        out += t.slice(from, i);
        const e = t[i + 1];
        const simple = ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i++;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
          const code = parseInt(t.slice(i + 2, i + 6), 16);
          if (code >= 0xd800 && code <= 0xdfff) decline();
          out += String.fromCharCode(code);
          i += 5;
        } else {
          decline();
        }
        from = i + 1;
      }
    }
    return decline();
  }

  /** A quoted scalar followed by `:` is a quoted key: not in this subset. */
  private notAKey(p: number): void {
    while (this.text.charCodeAt(p) === SPACE) p++;
    if (this.text.charCodeAt(p) === COLON) decline();
  }

  /** A one-line flow collection of plain or quoted scalars and nested flow collections. */
  private flow(p: number): Parsed & { end: number } {
    const t = this.text;
    const lineEnd = this.eol(p);
    const parseColl = (start: number): Parsed & { end: number } => {
      const isMap = t.charCodeAt(start) === 0x7b;
      const close = isMap ? 0x7d : 0x5d;
      const node = isMap ? newMap() : newSeq();
      node.flow = true;
      const obj: Record<string, unknown> = {};
      const arr: unknown[] = [];
      const seen = new Set<string>();
      let i = start + 1;
      const skip = () => {
        while (t.charCodeAt(i) === SPACE) i++;
      };
      skip();
      if (t.charCodeAt(i) === close) {
        node.range = [start, i + 1, i + 1];
        return { node, value: isMap ? obj : arr, end: i + 1 };
      }
      for (;;) {
        if (i >= lineEnd) decline();
        const item = this.flowItem(i, lineEnd);
        i = item.end;
        if (isMap && t.charCodeAt(i) !== COLON) decline(); // `{ a : b }`, `{ a }`
        skip();
        // A flow item's range ends after the spaces that follow it.
        item.node.range![2] = i;
        if (isMap) {
          if (t.charCodeAt(i) !== COLON || !(item.node instanceof Scalar) || item.node.type !== Scalar.PLAIN || typeof item.value !== 'string') decline();
          const k = item.value as string;
          if (k === '__proto__' || seen.has(k)) decline();
          seen.add(k);
          i++;
          if (t.charCodeAt(i) !== SPACE) decline();
          skip();
          const v = this.flowItem(i, lineEnd);
          (node as YAMLMap).items.push(newPair(item.node, v.node));
          obj[k] = v.value;
          i = v.end;
          skip();
          v.node.range![2] = i;
        } else {
          (node as YAMLSeq).items.push(item.node);
          arr.push(item.value);
        }
        const c = t.charCodeAt(i);
        if (c === close) {
          node.range = [start, i + 1, i + 1];
          // Exact-size lists, as in close().
          node.items = node.items.slice();
          return { node, value: isMap ? obj : arr.slice(), end: i + 1 };
        }
        if (c !== 0x2c /* , */) decline();
        i++;
        skip();
        if (t.charCodeAt(i) === close) decline(); // trailing comma
      }
    };
    this.flowColl = parseColl;
    const r = parseColl(p);
    return r;
  }

  private flowColl: ((start: number) => Parsed & { end: number }) | undefined;

  private flowItem(i: number, lineEnd: number): Parsed & { end: number } {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) return this.flowColl!(i);
    if (c === 0x22 || c === 0x27) {
      const q = this.quoted(i);
      return { node: scalarNode(q.value, q.value, c === 0x22 ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, i, q.end, q.end), value: q.value, end: q.end };
    }
    if (PLAIN_FIRST_BAD.has(c) || i >= lineEnd) decline();
    let e = i;
    for (; e < lineEnd; e++) {
      const ch = t.charCodeAt(e);
      if (ch === 0x2c || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d) break;
      if (ch === COLON) {
        const n = t.charCodeAt(e + 1);
        if (n === SPACE) break;
        if (e + 1 >= lineEnd || n === 0x2c || n === 0x5b || n === 0x5d || n === 0x7b || n === 0x7d) decline(); // `a:,` `a:}`
      }
      if (ch === HASH && t.charCodeAt(e - 1) === SPACE) decline();
    }
    let v = e;
    while (t.charCodeAt(v - 1) === SPACE) v--;
    const src = t.slice(i, v);
    const kind = resolvePlainKind(src);
    if (kind === 'other') decline();
    const value = kind === 'string' ? src : kind === 'null' ? null : kind === 'bool' ? src.charCodeAt(0) === 0x74 || src.charCodeAt(0) === 0x54 : parseInt(src, 10);
    return { node: scalarNode(value, src, Scalar.PLAIN, i, v, v), value, end: v };
  }

  /**
   * A literal (`|`, `|-`) or folded (`>`, `>-`) block scalar whose lines share one indentation (literal ones may
   * indent further). Keep chomping, indentation indicators, leading blank lines and folded more-indented lines are
   * declined.
   */
  private blockScalar(p: number, col: number): Parsed & { end: number; next: number } {
    const t = this.text;
    const folded = t.charCodeAt(p) === 0x3e;
    let h = p + 1;
    let strip = false;
    if (t.charCodeAt(h) === DASH) {
      strip = true;
      h++;
    }
    const hc = t.charCodeAt(h);
    if (h < this.len && hc !== SPACE && hc !== NL) decline();
    let q = h;
    while (t.charCodeAt(q) === SPACE) q++;
    if (t.charCodeAt(q) === HASH) decline(); // a header comment
    if (q < this.len && t.charCodeAt(q) !== NL) decline();
    let lineStart = q + 1;
    if (lineStart >= this.len) decline();
    const indent = this.indentOf(lineStart);
    if (indent <= col) decline(); // empty block scalar, or leading blank lines
    if (t.charCodeAt(lineStart + indent) === NL) decline();
    const lines: string[] = [];
    let lastContentEnd = lineStart;
    let blanks = 0;
    while (lineStart < this.len) {
      const e = this.eol(lineStart);
      let i = lineStart;
      while (i < e && t.charCodeAt(i) === SPACE) i++;
      if (i === e) {
        // A blank line: part of the scalar if content follows at its indentation.
        if (i - lineStart > indent) decline();
        blanks++;
        lineStart = e + 1;
        continue;
      }
      const ind = i - lineStart;
      if (ind < indent) break;
      if (ind > indent && folded) decline();
      for (let b = 0; b < blanks; b++) lines.push('');
      blanks = 0;
      lines.push(t.slice(lineStart + indent, e));
      lastContentEnd = Math.min(e + 1, this.len);
      if (e >= this.len) decline(); // no final line break: chomping details
      lineStart = e + 1;
    }
    let value: string;
    if (folded) {
      value = '';
      for (let k = 0; k < lines.length; k++) {
        const l = lines[k];
        if (k === 0) value = l;
        else if (l === '') value += '\n';
        else value += lines[k - 1] === '' ? l : ' ' + l;
      }
    } else {
      value = lines.join('\n');
    }
    if (!strip) value += '\n';
    const node = scalarNode(value, value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, p, lastContentEnd, lastContentEnd);
    this.leafEnds(lastContentEnd, col);
    return { node, value, end: lastContentEnd, next: lastContentEnd };
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', ' ': ' ' };

function resolvePlainKind(s: string): 'string' | 'null' | 'bool' | 'int' | 'other' {
  const c = s.charCodeAt(0);
  // Only strings starting with these can be anything but a string in the core schema.
  if (s.length === 0 || c === 0x7e || c === 0x6e || c === 0x4e) return NULL_RE.test(s) ? 'null' : 'string';
  if (c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46) return BOOL_RE.test(s) ? 'bool' : 'string';
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === DASH || c === 0x2e) {
    if (INT_RE.test(s)) return 'int';
    if (OTHER_NUMBER_RE.test(s)) return 'other';
  }
  return 'string';
}

// ---------------------------------------------------------------------------------------------------------------
// Node construction
//
// `yaml`'s node constructors mark each node's kind with Object.defineProperty (a symbol-keyed property) and give each
// collection its schema the same way: a runtime call per node, a third of the fast path's own time on a workspace of
// 20,000 Gateways. The classes below make the same nodes — `instanceof` `yaml`'s classes, `isScalar`/`isMap`/… true,
// the same own fields — with the kind and the schema on a shared prototype instead. Every document of the fast path
// also shares one schema and one set of options and directives: nothing in meshtls changes them, and documents
// parsed with the same options get equal ones anyway.

const NODE_TYPE = Symbol.for('yaml.node.type');
const TEMPLATE = new Document(undefined, PARSE_OPTIONS);
const SCHEMA = TEMPLATE.schema;

/** A prototype below `base` that carries the node kind (and, for collections, the schema). */
function kindPrototype(base: object, kindOf: unknown, withSchema: boolean): object {
  const proto = Object.create(base) as object;
  Object.defineProperty(proto, NODE_TYPE, { value: (kindOf as Record<symbol, unknown>)[NODE_TYPE] });
  if (withSchema) Object.defineProperty(proto, 'schema', { value: SCHEMA, configurable: true, enumerable: false, writable: true });
  return proto;
}

class FastScalar {
  value: unknown;
  range: [number, number, number];
  source: string;
  type: ScalarType;
  constructor(value: unknown, source: string, type: ScalarType, range: [number, number, number]) {
    this.value = value;
    this.range = range;
    this.source = source;
    this.type = type;
  }
}
class FastPair {
  key: unknown;
  value: unknown;
  constructor(key: unknown, value: unknown) {
    this.key = key;
    this.value = value;
  }
}
class FastCollection {
  items: unknown[] = [];
  flow?: boolean;
  range?: [number, number, number];
}
class FastMap extends FastCollection {}
class FastSeq extends FastCollection {}
class FastDocument {
  commentBefore = null;
  comment = null;
  errors = [];
  warnings = [];
  options = TEMPLATE.options;
  directives = TEMPLATE.directives;
  schema = SCHEMA;
  contents: unknown = null;
  range?: [number, number, number];
}
Object.setPrototypeOf(FastScalar.prototype, kindPrototype(Scalar.prototype, new Scalar(null), false));
Object.setPrototypeOf(FastPair.prototype, kindPrototype(Pair.prototype, new Pair(null), false));
Object.setPrototypeOf(FastMap.prototype, kindPrototype(YAMLMap.prototype, new YAMLMap(SCHEMA), true));
Object.setPrototypeOf(FastSeq.prototype, kindPrototype(YAMLSeq.prototype, new YAMLSeq(SCHEMA), true));
Object.setPrototypeOf(FastDocument.prototype, kindPrototype(Document.prototype, TEMPLATE, false));

function newMap(): YAMLMap {
  return new FastMap() as unknown as YAMLMap;
}
function newSeq(): YAMLSeq {
  return new FastSeq() as unknown as YAMLSeq;
}
function newPair(key: Node, value: Node): Pair {
  return new FastPair(key, value) as unknown as Pair;
}

function scalarNode(value: unknown, source: string, type: ScalarType, start: number, valueEnd: number, end: number): Scalar {
  return new FastScalar(value, source, type, [start, valueEnd, end]) as unknown as Scalar;
}

/**
 * Parses one document chunk (as split by splitDocuments: it may start with a `---` line) when it is in the subset
 * above; undefined otherwise.
 */
export function fastParse(text: string): FastParsed | undefined {
  if (text.indexOf('\t') >= 0 || text.indexOf('\r') >= 0 || text.charCodeAt(0) === 0xfeff) return undefined;
  let p = 0;
  if (text.startsWith('---')) {
    let i = 3;
    while (text.charCodeAt(i) === SPACE) i++;
    if (i < text.length && text.charCodeAt(i) !== NL) return undefined;
    p = i + 1;
  }
  const doc = new FastDocument() as unknown as Document.Parsed;
  const parser = new FastParser(text);
  try {
    const line = parser.nextContentLine(p);
    if (line < 0) return undefined;
    // Directives, and document markers anywhere but the first line, are left to the general parser.
    if (/^(?:%|---|\.\.\.)/m.test(p > 0 ? text.slice(p) : text)) return undefined;
    if (indentOfLine(text, line) !== 0) return undefined;
    const b = parser.parseBlock(line, 0, 0);
    if (parser.nextContentLine(b.next) >= 0) return undefined;
    doc.contents = b.node as Document.Parsed['contents'];
    doc.range = [p > 0 ? 0 : line, b.node.range![2], text.length];
    return { doc, value: b.value };
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}

function indentOfLine(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === SPACE) i++;
  return i - lineStart;
}
