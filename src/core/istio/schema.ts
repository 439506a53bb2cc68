import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Alias, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Fix } from '../types';
import { findPair, nodeAt, type YamlDocument } from '../yaml/documents';
import { ISTIO_KINDS, type IstioKind, type Resource } from './resource';

/** One node of the compact schema that scripts/gen-schema.mjs writes from Istio's CRDs (OpenAPI v3 keywords). */
export interface SchemaNode {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  enum?: string[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface SchemaFile {
  source: string;
  kinds: Record<string, { group: string; versions: Record<string, string> }>;
  schemas: Record<string, SchemaNode>;
}

// Loaded with require() rather than `import` so tsc does not infer a literal type for 100 KB of JSON on every
// type-check; esbuild bundles the file either way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SCHEMA_FILE = require('./schema.generated.json') as SchemaFile;

/** The istio/api revision the schema was generated from. */
export const SCHEMA_SOURCE = SCHEMA_FILE.source;

type ValueType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** A schema node with its children in lookup maps, so the walk does no allocation or scanning per YAML node. */
export interface CompiledSchema {
  node: SchemaNode;
  type: ValueType | undefined;
  intOrString: boolean;
  props: Map<string, CompiledSchema> | undefined;
  /** The declared field names in CRD order, for "did you mean" suggestions. */
  propNames: readonly string[];
  items: CompiledSchema | undefined;
  /** A map's value schema; `true` when any value goes; undefined when only `props` are allowed. */
  additional: CompiledSchema | true | undefined;
  enumSet: ReadonlySet<string> | undefined;
}

/** Builds the lookup maps of a schema tree once; resourceSchema() caches the result per kind and version. */
export function compileSchema(node: SchemaNode): CompiledSchema {
  const compile = compileSchema;
  const props = node.properties ? new Map(Object.entries(node.properties).map(([k, v]) => [k, compile(v)] as const)) : undefined;
  const ap = node.additionalProperties;
  let additional: CompiledSchema | true | undefined;
  if (node['x-kubernetes-preserve-unknown-fields'] || ap === true) additional = true;
  else if (ap && typeof ap === 'object') additional = compile(ap);
  // A typed object with neither properties nor additionalProperties would have every field pruned; no such node
  // exists in Istio's CRDs today, so treat it as open rather than flag fields we cannot know about.
  else if (!props && node.type === 'object') additional = true;
  return {
    node,
    type: node.type ?? (props || ap !== undefined ? 'object' : undefined),
    intOrString: node['x-kubernetes-int-or-string'] === true,
    props,
    propNames: props ? [...props.keys()] : [],
    items: node.items ? compile(node.items) : undefined,
    additional,
    enumSet: node.enum ? new Set(node.enum) : undefined,
  };
}

const STRING: SchemaNode = { type: 'string' };
const STRING_MAP: SchemaNode = { type: 'object', additionalProperties: STRING };
const OPEN_OBJECT: SchemaNode = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/**
 * The Kubernetes envelope around `spec`. It is not in Istio's CRDs (the apiserver adds ObjectMeta to every kind), so
 * it is written here from the Kubernetes ObjectMeta type. Checking it catches `namspace:` (the resource silently lands
 * in `default`) and unquoted annotation values, which the apiserver rejects.
 */
function envelope(spec: SchemaNode): SchemaNode {
  return {
    type: 'object',
    properties: {
      apiVersion: STRING,
      kind: STRING,
      metadata: {
        type: 'object',
        properties: {
          name: STRING,
          generateName: STRING,
          namespace: STRING,
          labels: STRING_MAP,
          annotations: STRING_MAP,
          finalizers: { type: 'array', items: STRING },
          ownerReferences: { type: 'array', items: OPEN_OBJECT },
          uid: STRING,
          resourceVersion: STRING,
          generation: { type: 'integer' },
          creationTimestamp: STRING,
          deletionTimestamp: STRING,
          deletionGracePeriodSeconds: { type: 'integer' },
          managedFields: { type: 'array', items: OPEN_OBJECT },
          selfLink: STRING,
        },
      },
      spec,
      status: OPEN_OBJECT,
    },
  };
}

const compiled = new Map<string, CompiledSchema>();

/** The compiled schema of a whole resource (envelope + spec) for a kind and version, or undefined when not served. */
export function resourceSchema(kind: string, version: string): CompiledSchema | undefined {
  const id = SCHEMA_FILE.kinds[kind]?.versions[version];
  if (!id) return undefined;
  let c = compiled.get(id);
  if (!c) compiled.set(id, (c = compileSchema(envelope(SCHEMA_FILE.schemas[id]))));
  return c;
}

/** The versions Istio serves a kind under, newest first (v1, v1beta1, v1alpha3). */
export function servedVersions(kind: string): string[] {
  return Object.keys(SCHEMA_FILE.kinds[kind]?.versions ?? {}).sort(compareVersions);
}

function compareVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [Number(m[1]), m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3, Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
}

/** The schema node at a resource-relative path (['spec','servers',0,'tls']), e.g. for hovers; undefined if unknown. */
export function schemaAt(kind: string, version: string, path: readonly (string | number)[]): SchemaNode | undefined {
  let s = resourceSchema(kind, version);
  for (const seg of path) {
    if (!s) return undefined;
    if (typeof seg === 'number') s = s.items;
    else s = s.props?.get(seg) ?? (s.additional === true ? undefined : s.additional);
  }
  return s?.node;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export type SchemaIssueKind = 'unknown-field' | 'invalid-type' | 'invalid-enum' | 'unknown-api-version';

/** A schema problem with file offsets; the schema rules turn these into findings. */
export interface SchemaIssue {
  kind: SchemaIssueKind;
  start: number;
  end: number;
  message: string;
  fix?: Fix;
}

const cache = new WeakMap<Resource, SchemaIssue[]>();

/**
 * Every schema problem of one Istio resource, computed once per resource (the four schema rules share one walk).
 * The walk follows the `yaml` nodes rather than the plain value, so each issue has exact offsets, and quoting
 * (`"443"` is a string) is seen the way the apiserver sees it.
 */
export function schemaIssues(resource: Resource): SchemaIssue[] {
  let issues = cache.get(resource);
  if (!issues) cache.set(resource, (issues = computeIssues(resource)));
  return issues;
}

function computeIssues(r: Resource): SchemaIssue[] {
  if (!(r.kind in ISTIO_KINDS)) return [];
  const d = r.doc;
  const root = nodeAt(d.doc, r.path);
  const schema = resourceSchema(r.kind, r.version);
  if (!schema) {
    const apiNode = root && isMap(root) ? (findPair(root, 'apiVersion')?.value as Node | undefined) : undefined;
    const [start, end] = apiNode?.range ? [apiNode.range[0], apiNode.range[1]] : [0, 1];
    const versions = servedVersions(r.kind);
    const group = ISTIO_KINDS[r.kind as IstioKind].group;
    const guess = closest(r.version, versions);
    const target = `${group}/${guess?.value ?? versions[0]}`;
    // Versions share one schema, so checking the spec against another version's would only repeat this finding.
    const issue: SchemaIssue = {
      kind: 'unknown-api-version',
      start: d.base + start,
      end: d.base + end,
      message: `Unsupported apiVersion "${r.apiVersion}" for ${r.kind} (served: ${versions.map((v, i) => (i === 0 ? `${group}/${v}` : v)).join(', ')}).`,
      fix: apiNode && isScalar(apiNode) ? replaceScalar(d.fileId, d.base, apiNode, target, `Change apiVersion to ${target}`, guess?.certain ?? false) : undefined,
    };
    return [issue];
  }
  return validateNode({ doc: d, node: root, schema, kind: r.kind });
}

/** Checks one YAML node (and everything below it) against a compiled schema; `kind` starts each message's path. */
export function validateNode(o: { doc: YamlDocument; node: Node | undefined; schema: CompiledSchema; kind: string }): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const d = o.doc;
  new Walker({ doc: d.doc, fileId: d.fileId, base: d.base, text: d.text, kind: o.kind, issues }).walk(o.node ?? null, o.schema);
  return issues;
}

// YAML 1.1 booleans. kubectl turns YAML into JSON with a YAML 1.1 reader, so an unquoted `yes` or `on` reaches the
// apiserver as `true` even though the `yaml` package (YAML 1.2) reads it as a string.
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

type ScalarType = ValueType | 'null';

function scalarType(n: Scalar): ScalarType {
  const v = n.value;
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'bigint':
      return 'integer';
    case 'string':
      return n.type === Scalar.PLAIN && YAML11_BOOL.test(v) ? 'boolean' : 'string';
    default:
      return 'string';
  }
}

function accepts(s: CompiledSchema, actual: ValueType): boolean {
  if (s.intOrString) return actual === 'integer' || actual === 'string';
  if (s.type === undefined || s.type === actual) return true;
  return s.type === 'number' && actual === 'integer';
}

const ARTICLE: Record<ValueType, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
};

type PathSeg = string | number;

class Walker {
  private readonly path: PathSeg[] = [];
  /** Set while walking content reached through an alias: issues point at the alias, where the author used it. */
  private aliasSpan: [number, number] | undefined;
  /** Anchored nodes already walked with a schema, so content shared through aliases is reported once. */
  private readonly walkedAnchors = new Map<Node, CompiledSchema[]>();

  private readonly doc: Document;
  private readonly fileId: string;
  private readonly base: number;
  private readonly text: string;
  private readonly kind: string;
  private readonly issues: SchemaIssue[];

  constructor(o: { doc: Document; fileId: string; base: number; text: string; kind: string; issues: SchemaIssue[] }) {
    this.doc = o.doc;
    this.fileId = o.fileId;
    this.base = o.base;
    this.text = o.text;
    this.kind = o.kind;
    this.issues = o.issues;
  }

  walk(node: Node | null | undefined, s: CompiledSchema): void {
    if (!node) return; // An empty value is null, which the apiserver prunes before validation.
    if (isAlias(node)) {
      this.underAlias(node, () => this.walk(node.resolve(this.doc) as Node | undefined, s));
      return;
    }
    if ((node as { anchor?: string }).anchor && this.seenAnchor(node, s)) return;
    if (isScalar(node)) this.scalar(node, s);
    else if (isMap(node)) this.map(node, s);
    else if (isSeq(node)) this.seq(node, s);
  }

  private seenAnchor(node: Node, s: CompiledSchema): boolean {
    const list = this.walkedAnchors.get(node);
    if (list?.includes(s)) return true;
    if (list) list.push(s);
    else this.walkedAnchors.set(node, [s]);
    return false;
  }

  private underAlias(alias: Alias, walkTarget: () => void): void {
    const outer = this.aliasSpan;
    if (!outer && alias.range) this.aliasSpan = [alias.range[0], alias.range[1]];
    try {
      walkTarget();
    } finally {
      this.aliasSpan = outer;
    }
  }

  private scalar(n: Scalar, s: CompiledSchema): void {
    const actual = scalarType(n);
    if (actual === 'null') return;
    if (!accepts(s, actual)) {
      this.typeIssue(n, s, actual);
      return;
    }
    if (s.enumSet && typeof n.value === 'string' && !s.enumSet.has(n.value)) this.enumIssue(n, s);
  }

  private map(m: YAMLMap, s: CompiledSchema): void {
    if (!accepts(s, 'object')) {
      this.typeIssue(m, s, 'object');
      return;
    }
    for (const item of m.items) {
      if (!isPair(item)) continue;
      const key = item.key as Node | null;
      const name = key && isScalar(key) ? String(key.value) : undefined;
      if (name === '<<' && key && isScalar(key) && key.type === Scalar.PLAIN) {
        this.merge(item.value as Node | null, m, s);
        continue;
      }
      this.field(name, key, item.value as Node | null, s);
    }
  }

  private field(name: string | undefined, key: Node | null, value: Node | null, s: CompiledSchema): void {
    const child = name === undefined ? undefined : s.props?.get(name);
    this.path.push(name ?? '?');
    if (child) this.walk(value, child);
    else if (s.additional === true) {
      // Free-form content: nothing to check below this key.
    } else if (s.additional) this.walk(value, s.additional);
    else this.unknownField(name ?? String(key), key, s);
    this.path.pop();
  }

  /** `<<: *base` merge keys: kubectl's YAML 1.1 reader merges them, so the merged keys are checked as this map's. */
  private merge(value: Node | null, into: YAMLMap, s: CompiledSchema): void {
    const own = new Set<string>();
    for (const item of into.items) if (isPair(item) && isScalar(item.key)) own.add(String(item.key.value));
    const sources = value && isSeq(value) ? (value.items as Node[]) : [value];
    for (const src of sources) {
      if (!src) continue;
      const visit = (target: Node | undefined) => {
        if (!target || !isMap(target)) return;
        // Merged from an anchor that was already checked with this schema: its problems are reported there.
        if (target.anchor && this.seenAnchor(target, s)) return;
        for (const item of target.items) {
          if (!isPair(item)) continue;
          const key = item.key as Node | null;
          const name = key && isScalar(key) ? String(key.value) : undefined;
          if (name !== undefined && own.has(name)) continue; // Overridden by the map's own key.
          this.field(name, key, item.value as Node | null, s);
        }
      };
      if (isAlias(src)) this.underAlias(src, () => visit(src.resolve(this.doc) as Node | undefined));
      else visit(src);
    }
  }

  private seq(q: YAMLSeq, s: CompiledSchema): void {
    if (!accepts(s, 'array')) {
      this.typeIssue(q, s, 'array');
      return;
    }
    if (!s.items) return;
    for (let i = 0; i < q.items.length; i++) {
      this.path.push(i);
      this.walk(q.items[i] as Node | null, s.items);
      this.path.pop();
    }
  }

  // -- issues ------------------------------------------------------------------------------------------------------

  /** `Gateway spec.servers[0].tls`: where the walk is, leaving out the last `drop` segments. */
  private where(drop = 0): string {
    let out = this.kind;
    let first = true;
    for (let i = 0; i < this.path.length - drop; i++) {
      const seg = this.path[i];
      if (typeof seg === 'number') out += `[${seg}]`;
      else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += first ? ` ${seg}` : `.${seg}`;
      else out += first ? ` [${JSON.stringify(seg)}]` : `[${JSON.stringify(seg)}]`;
      first = false;
    }
    return out;
  }

  /** File offsets of a node; inside aliased content, the alias instead. Collections are cut to their first line. */
  private spanOf(node: Node | null): [number, number] {
    if (this.aliasSpan) return [this.base + this.aliasSpan[0], this.base + this.aliasSpan[1]];
    const r = node?.range;
    if (!r) return [this.base, this.base + 1];
    let end = r[1];
    if (!isScalar(node)) {
      const nl = this.text.indexOf('\n', r[0]);
      if (nl >= 0 && nl < end) end = this.text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    }
    return [this.base + r[0], this.base + end];
  }

  private push(kind: SchemaIssueKind, node: Node | null, message: string, fix?: Fix): void {
    const [start, end] = this.spanOf(node);
    // A fix rewrites the node's own text, which is only right where the node is written, not at an alias.
    this.issues.push(this.aliasSpan || !fix ? { kind, start, end, message } : { kind, start, end, message, fix });
  }

  private unknownField(name: string, key: Node | null, s: CompiledSchema): void {
    const where = this.where(1);
    const guess = closest(name, s.propNames);
    const message = `Unknown field ${JSON.stringify(name)} in ${where}` + (guess ? `; did you mean ${JSON.stringify(guess.value)}?` : '.');
    const fix = guess && key && isScalar(key) ? replaceScalar(this.fileId, this.base, key, guess.value, `Rename to ${guess.value}`, guess.certain) : undefined;
    this.push('unknown-field', key, message, fix);
  }

  private typeIssue(node: Node, s: CompiledSchema, actual: ValueType): void {
    const expected = s.intOrString ? 'an integer or a string' : ARTICLE[s.type ?? 'object'];
    let shown: string = ARTICLE[actual];
    let fix: Fix | undefined;
    if (isScalar(node)) {
      const src = this.text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
      if (actual === 'string') shown = `the string ${JSON.stringify(truncate(String(node.value)))}`;
      else if (actual === 'boolean' && typeof node.value === 'string') shown = `the boolean ${src} (YAML 1.1 reads unquoted ${src} as a boolean)`;
      else shown = `the ${actual === 'boolean' ? 'boolean' : 'number'} ${truncate(src)}`;
      fix = typeFix(this.fileId, this.base, node, s, actual, src);
    }
    this.push('invalid-type', node, `${this.where()} must be ${expected}, not ${shown}.`, fix);
  }

  private enumIssue(n: Scalar, s: CompiledSchema): void {
    const value = String(n.value);
    const allowed = [...(s.enumSet ?? [])];
    const guess = closest(value, allowed);
    const message =
      `Invalid value ${JSON.stringify(truncate(value))} for ${this.where()} (allowed: ${allowed.join(', ')})` +
      (guess ? `; did you mean ${JSON.stringify(guess.value)}?` : '.');
    const fix = guess ? replaceScalar(this.fileId, this.base, n, guess.value, `Change to ${guess.value}`, guess.certain) : undefined;
    this.push('invalid-enum', n, message, fix);
  }
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Quick fixes for the two certain type slips: a quoted number or boolean, and an unquoted one where text is wanted. */
function typeFix(fileId: string, base: number, n: Scalar, s: CompiledSchema, actual: ValueType, src: string): Fix | undefined {
  if (!n.range) return undefined;
  const edit = (newText: string, title: string): Fix => ({
    title,
    preferred: true,
    edits: [{ fileId, start: base + n.range![0], end: base + n.range![1], newText }],
  });
  const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
  if (quoted && typeof n.value === 'string') {
    const v = n.value;
    if ((s.type === 'integer' && /^-?\d+$/.test(v)) || (s.type === 'number' && /^-?\d+(\.\d+)?$/.test(v))) return edit(v, 'Remove the quotes');
    if (s.type === 'boolean' && (v === 'true' || v === 'false')) return edit(v, 'Remove the quotes');
  }
  if (s.type === 'string' && n.type === Scalar.PLAIN && actual !== 'string') return edit(JSON.stringify(src), 'Quote the value');
  return undefined;
}

/** Replaces a scalar's text, keeping its quoting style. */
function replaceScalar(fileId: string, base: number, n: Scalar, value: string, title: string, preferred: boolean): Fix | undefined {
  if (!n.range) return undefined;
  const newText = n.type === Scalar.QUOTE_DOUBLE ? JSON.stringify(value) : n.type === Scalar.QUOTE_SINGLE ? `'${value.replace(/'/g, "''")}'` : value;
  return { title, preferred, edits: [{ fileId, start: base + n.range[0], end: base + n.range[1], newText }] };
}

// ---------------------------------------------------------------------------------------------------------------
// Suggestions

/**
 * The candidate the author most likely meant: equal ignoring case, `_` and `-` first (certain), then the single
 * nearest by edit distance within a small budget, then a single candidate contained in the input or containing it
 * (`MUTUAL_TLS` → `MUTUAL`). Ties give no suggestion: guessing between two is worse than listing them.
 */
export function closest(input: string, candidates: readonly string[]): { value: string; certain: boolean } | undefined {
  const norm = (x: string) => x.toLowerCase().replace(/[_-]/g, '');
  const n = norm(input);
  if (!n) return undefined;
  const same = candidates.filter((c) => norm(c) === n);
  if (same.length === 1) return { value: same[0], certain: true };
  if (same.length > 1) return undefined;
  const budget = Math.max(1, Math.floor(n.length / 3));
  let best: string[] = [];
  let bestD = budget + 1;
  for (const c of candidates) {
    const d = editDistance(n, norm(c), bestD + 1);
    if (d > budget) continue;
    if (d < bestD) [best, bestD] = [[c], d];
    else if (d === bestD) best.push(c);
  }
  if (best.length === 1) return { value: best[0], certain: bestD === 1 && n.length >= 4 };
  if (best.length > 1) return undefined;
  if (n.length >= 4) {
    const within = candidates.filter((c) => {
      const m = norm(c);
      return m.length >= 4 && (n.includes(m) || m.includes(n));
    });
    if (within.length === 1) return { value: within[0], certain: false };
  }
  return undefined;
}

/** Optimal-string-alignment distance (adjacent swaps cost 1); stops early once it cannot beat `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    [prev2, prev] = [prev, cur];
  }
  return prev[b.length];
}
