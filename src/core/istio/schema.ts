import type { Alias, Document, Node, YAMLMap, YAMLSeq } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar } from '../yaml/api';
import type { Fix } from '../types';
import { findPair, nodeAt, type YamlDocument } from '../yaml/documents';
import { ISTIO_KINDS, kindName, type Resource } from './resource';
import { compileCel, isTransitionRule } from './cel';
import { re2 } from './re2';
import { isIPv4, parseIP } from './cel';

/** A CEL rule of a CRD (`x-kubernetes-validations`), with the CRD's own message. */
export interface CelValidation {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** Where the apiserver reports the failure, relative to the node the rule sits on (`.name`, `.spec.port`). */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  optionalOldSelf?: boolean;
}

/**
 * One node of the compact schema that scripts/gen-schema.mjs writes from the CRDs (OpenAPI v3 keywords and the
 * Kubernetes extensions the apiserver enforces).
 */
export interface SchemaNode {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minProperties?: number;
  maxProperties?: number;
  pattern?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: (string | number | boolean | null)[];
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: CelValidation[];
}

/** One served version's schema: `spec`, whether the CRD requires it, and CEL rules on the whole object. */
export interface VersionSchema {
  spec: SchemaNode;
  specRequired?: boolean;
  rootValidations?: CelValidation[];
}

export interface SchemaFile {
  source: string;
  /** Keyed by kind; `standard` (Gateway API only) lists the versions the standard channel serves. */
  kinds: Record<string, { group: string; versions: Record<string, string>; standard?: string[] }>;
  schemas: Record<string, VersionSchema>;
}

// Loaded with require() rather than `import` so tsc does not infer a literal type for the JSON on every type-check;
// esbuild bundles the files either way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ISTIO_FILE = require('./schema.generated.json') as SchemaFile;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const GATEWAY_API_FILE = require('./gateway-api.schema.generated.json') as SchemaFile;

/** The istio/api revision the Istio schema was generated from. */
export const SCHEMA_SOURCE = ISTIO_FILE.source;
/** The Gateway API release and commit its schema was generated from. */
export const GATEWAY_API_SCHEMA_SOURCE = GATEWAY_API_FILE.source;

interface KindEntry {
  file: SchemaFile;
  group: string;
  kind: string;
  versions: Record<string, string>;
  standard?: string[];
}

/**
 * Every kind with a generated schema, keyed `group/kind`: Istio's and the Gateway API's Gateway share a kind name,
 * so the group is part of every lookup. The Gateway API rules register their kinds as resources; the schema layer
 * already knows them.
 */
const KINDS = new Map<string, KindEntry>();
for (const file of [ISTIO_FILE, GATEWAY_API_FILE]) {
  for (const [kind, k] of Object.entries(file.kinds)) KINDS.set(`${k.group}/${kind}`, { file, kind, ...k });
}

/** Every kind name that has a schema, whatever its group. */
export const SCHEMA_KIND_NAMES: readonly string[] = [...new Set([...KINDS.values()].map((e) => e.kind))];

/** The group a bare kind name means: Istio's first (meshtls's own kinds), else the only group that has it. */
function defaultGroup(kind: string): string | undefined {
  const istio = (ISTIO_KINDS as Record<string, { group: string } | undefined>)[kind];
  if (istio) return istio.group;
  for (const e of KINDS.values()) if (e.kind === kind) return e.group;
  return undefined;
}

function kindEntry(kind: string, group = defaultGroup(kind)): KindEntry | undefined {
  return group === undefined ? undefined : KINDS.get(`${group}/${kind}`);
}

/** Whether the schema layer knows a group/kind (Istio's kinds and the Gateway API's). */
export function hasSchema(group: string, kind: string): boolean {
  return KINDS.has(`${group}/${kind}`);
}

/** The Gateway API versions of a kind that the standard channel serves (others are experimental only). */
export function standardChannelVersions(group: string, kind: string): readonly string[] | undefined {
  return KINDS.get(`${group}/${kind}`)?.standard;
}

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
  enumSet: ReadonlySet<unknown> | undefined;
  /** True when this node or one below it carries a constraint beyond type and enum (so the walk checks it). */
  constrained: boolean;
  /** CEL rules that can run offline (transition rules, which need the old object, are left out). */
  validations: readonly CelValidation[] | undefined;
}

/** Keywords the walk checks beyond type and enum. */
const CONSTRAINTS = [
  'minimum', 'maximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'minLength', 'maxLength', 'minProperties',
  'maxProperties', 'pattern', 'format', 'required', 'oneOf', 'anyOf', 'allOf', 'not', 'x-kubernetes-validations',
  'x-kubernetes-list-type',
] as const;

/** Builds the lookup maps of a schema tree once; resourceSchema() caches the result per kind and version. */
export function compileSchema(node: SchemaNode): CompiledSchema {
  const compile = compileSchema;
  const props = node.properties ? new Map(Object.entries(node.properties).map(([k, v]) => [k, compile(v)] as const)) : undefined;
  const ap = node.additionalProperties;
  let additional: CompiledSchema | true | undefined;
  if (node['x-kubernetes-preserve-unknown-fields'] || ap === true) additional = true;
  else if (ap && typeof ap === 'object') additional = compile(ap);
  // A typed object with neither properties nor additionalProperties would have every field pruned; no such node
  // exists in the CRDs today, so treat it as open rather than flag fields we cannot know about.
  else if (!props && node.type === 'object') additional = true;
  const items = node.items ? compile(node.items) : undefined;
  const validations = node['x-kubernetes-validations']?.filter((v) => !isTransitionRule(v.rule));
  const constrained =
    CONSTRAINTS.some((k) => node[k] !== undefined) ||
    [...(props?.values() ?? [])].some((c) => c.constrained) ||
    (items?.constrained ?? false) ||
    (typeof additional === 'object' && additional.constrained);
  return {
    node,
    type: node.type ?? (props || ap !== undefined ? 'object' : undefined),
    intOrString: node['x-kubernetes-int-or-string'] === true,
    props,
    propNames: props ? [...props.keys()] : [],
    items,
    additional,
    enumSet: node.enum ? new Set(node.enum) : undefined,
    constrained,
    validations: validations?.length ? validations : undefined,
  };
}

const STRING: SchemaNode = { type: 'string' };
const STRING_MAP: SchemaNode = { type: 'object', additionalProperties: STRING };
const OPEN_OBJECT: SchemaNode = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/**
 * The Kubernetes envelope around `spec`. It is not in the CRDs (the apiserver adds ObjectMeta to every kind), so
 * it is written here from the Kubernetes ObjectMeta type. Checking it catches `namspace:` (the resource silently lands
 * in `default`) and unquoted annotation values, which the apiserver rejects.
 */
function envelope(v: VersionSchema): SchemaNode {
  return {
    type: 'object',
    ...(v.specRequired ? { required: ['spec'] } : {}),
    ...(v.rootValidations ? { 'x-kubernetes-validations': v.rootValidations } : {}),
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
      spec: v.spec,
      status: OPEN_OBJECT,
    },
  };
}

const compiled = new Map<VersionSchema, CompiledSchema>();

/**
 * The compiled schema of a whole resource (envelope + spec) for a kind and version, or undefined when not served.
 * `group` defaults to Istio's group for Istio's kinds (and to the only group that has the kind otherwise).
 */
export function resourceSchema(kind: string, version: string, group?: string): CompiledSchema | undefined {
  const e = kindEntry(kind, group);
  const id = e?.versions[version];
  if (!e || !id) return undefined;
  const v = e.file.schemas[id];
  let c = compiled.get(v);
  if (!c) compiled.set(v, (c = compileSchema(envelope(v))));
  return c;
}

/** The versions a kind is served under, newest first (v1, v1beta1, v1alpha3). */
export function servedVersions(kind: string, group?: string): string[] {
  return Object.keys(kindEntry(kind, group)?.versions ?? {}).sort(compareVersions);
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
export function schemaAt(kind: string, version: string, path: readonly (string | number)[], group?: string): SchemaNode | undefined {
  let s = resourceSchema(kind, version, group);
  for (const seg of path) {
    if (!s) return undefined;
    if (typeof seg === 'number') s = s.items;
    else s = s.props?.get(seg) ?? (s.additional === true ? undefined : s.additional);
  }
  return s?.node;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export type SchemaIssueKind =
  | 'unknown-field'
  | 'invalid-type'
  | 'invalid-enum'
  | 'unknown-api-version'
  | 'required-missing'
  | 'value-out-of-range'
  | 'size-out-of-range'
  | 'pattern'
  | 'format'
  | 'one-of'
  | 'list-duplicate'
  | 'cel-violation'
  | 'cel-unevaluated';

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
  // The kind as written: the Gateway API Gateway is `K8sGateway` inside meshtls, `Gateway` in its CRD.
  const kind = kindName(r.kind);
  if (!hasSchema(r.group, kind)) return [];
  const d = r.doc;
  const root = nodeAt(d.doc, r.path);
  const schema = resourceSchema(kind, r.version, r.group);
  if (!schema) {
    const apiNode = root && isMap(root) ? (findPair(root, 'apiVersion')?.value as Node | undefined) : undefined;
    const [start, end] = apiNode?.range ? [apiNode.range[0], apiNode.range[1]] : [0, 1];
    const versions = servedVersions(kind, r.group);
    const group = r.group;
    const guess = closest(r.version, versions);
    const target = `${group}/${guess?.value ?? versions[0]}`;
    // Versions share one schema, so checking the spec against another version's would only repeat this finding.
    const issue: SchemaIssue = {
      kind: 'unknown-api-version',
      start: d.base + start,
      end: d.base + end,
      message: `Unsupported apiVersion "${r.apiVersion}" for ${kind} (served: ${versions.map((v, i) => (i === 0 ? `${group}/${v}` : v)).join(', ')}).`,
      fix: apiNode && isScalar(apiNode) ? replaceScalar(d.fileId, d.base, apiNode, target, `Change apiVersion to ${target}`, guess?.certain ?? false) : undefined,
    };
    return [issue];
  }
  return validateNode({ doc: d, node: root, schema, kind });
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
  /** The key node of each map field on the path (null for list items), so collection findings can sit on the key. */
  private readonly keys: (Node | null)[] = [];
  /** Set while walking content reached through an alias: issues point at the alias, where the author used it. */
  private aliasSpan: [number, number] | undefined;
  /** Anchored nodes already walked with a schema, so content shared through aliases is reported once (made when needed: most documents have no anchors). */
  private walkedAnchors: Map<Node, CompiledSchema[]> | undefined;
  /** CEL values already built for a node (a rule on a map and rules on its fields share the conversion). */
  private celValues: Map<Node, unknown> | undefined;
  /** Rules already reported as not evaluable in this resource: each is reported once. */
  private unevaluated: Set<string> | undefined;
  /**
   * Count of type problems so far: CEL rules over a value that already has one are not run, since cel-go would only
   * fail on the mistyped value with a "no such overload" that says less than the type finding.
   */
  private typeProblems = 0;

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
    const before = this.typeProblems;
    if (isScalar(node)) this.scalar(node, s);
    else if (isMap(node)) this.map(node, s);
    else if (isSeq(node)) this.seq(node, s);
    if (s.validations && this.typeProblems === before && !(isScalar(node) && scalarType(node) === 'null')) this.cel(node, s);
  }

  private seenAnchor(node: Node, s: CompiledSchema): boolean {
    const list = (this.walkedAnchors ??= new Map()).get(node);
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
    if (s.enumSet && typeof n.value === 'string' && !s.enumSet.has(n.value)) {
      this.enumIssue(n, s);
      return;
    }
    if (!s.constrained) return;
    const node = s.node;
    if (typeof n.value === 'string' && actual === 'string') {
      const v = n.value;
      if (node.minLength !== undefined || node.maxLength !== undefined) {
        // The apiserver counts characters (runes), not bytes or UTF-16 units.
        const len = [...v].length;
        if (node.minLength !== undefined && len < node.minLength) {
          this.push('size-out-of-range', n, node.minLength === 1 ? `${this.where()} must not be empty.` : `${this.where()} must be at least ${node.minLength} characters long, not ${len}.`);
        } else if (node.maxLength !== undefined && len > node.maxLength) {
          this.push('size-out-of-range', n, `${this.where()} must be at most ${node.maxLength} characters long, not ${len}.`);
        }
      }
      if (node.pattern !== undefined) {
        const re = re2(node.pattern);
        if (!('error' in re) && !re.test(v)) this.push('pattern', n, `${this.where()} ${JSON.stringify(truncate(v))} does not match the pattern ${node.pattern}.`);
      }
      if (node.format !== undefined && !formatOk(node.format, v)) this.push('format', n, `${this.where()} ${JSON.stringify(truncate(v))} is not a valid ${FORMAT_NAMES[node.format] ?? node.format}.`);
    } else if (typeof n.value === 'number' || typeof n.value === 'bigint') {
      const v = Number(n.value);
      const shown = this.text.slice(n.range?.[0] ?? 0, n.range?.[1] ?? 0);
      const out = (bound: string) => this.push('value-out-of-range', n, `${this.where()} must be ${bound}, not ${truncate(shown)}.`);
      if (node.minimum !== undefined && (node.exclusiveMinimum ? v <= node.minimum : v < node.minimum)) out(`${node.exclusiveMinimum ? 'greater than' : 'at least'} ${node.minimum}`);
      else if (node.maximum !== undefined && (node.exclusiveMaximum ? v >= node.maximum : v > node.maximum)) out(`${node.exclusiveMaximum ? 'less than' : 'at most'} ${node.maximum}`);
      else if (node.multipleOf !== undefined && v % node.multipleOf !== 0) out(`a multiple of ${node.multipleOf}`);
    }
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
    if (!s.constrained) return;
    const node = s.node;
    // A map is constrained when anything below it is; the keys are needed only for the map's own constraints.
    if (!node.required && node.minProperties === undefined && node.maxProperties === undefined && !node.oneOf && !node.anyOf && !node.allOf && !node.not) return;
    // Keys as the apiserver sees them: merged keys included, null values pruned (unless the field is nullable).
    const present = this.presentKeys(m, s);
    if (node.required) {
      for (const r of node.required) {
        if (present.has(r) || s.props?.get(r)?.node.default !== undefined) continue;
        this.push('required-missing', this.fieldNode(m), `${this.where()} is missing the required field ${JSON.stringify(r)}.`);
      }
    }
    const count = present.size;
    if (node.minProperties !== undefined && count < node.minProperties) {
      this.push('size-out-of-range', this.fieldNode(m), `${this.where()} must have at least ${node.minProperties} ${node.minProperties === 1 ? 'entry' : 'entries'}, not ${count}.`);
    } else if (node.maxProperties !== undefined && count > node.maxProperties) {
      this.push('size-out-of-range', this.fieldNode(m), `${this.where()} must have at most ${node.maxProperties} ${node.maxProperties === 1 ? 'entry' : 'entries'}, not ${count}.`);
    }
    if (node.oneOf || node.anyOf || node.allOf || node.not) this.combinators(m, s, present);
  }

  /** The keys of a map that count as set, merge keys included; a null value is pruned unless the field is nullable. */
  private presentKeys(m: YAMLMap, s: CompiledSchema): Set<string> {
    const out = new Set<string>();
    const add = (map: YAMLMap) => {
      for (const item of map.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const name = String(item.key.value);
        if (name === '<<' && item.key.type === Scalar.PLAIN) {
          const v = item.value as Node | null;
          for (const src of v && isSeq(v) ? (v.items as Node[]) : [v]) {
            const t = src && isAlias(src) ? (src.resolve(this.doc) as Node | undefined) : src;
            if (t && isMap(t)) add(t);
          }
          continue;
        }
        let v = item.value as Node | null;
        if (v && isAlias(v)) v = (v.resolve(this.doc) as Node | undefined) ?? null;
        const isNull = !v || (isScalar(v) && scalarType(v) === 'null');
        if (isNull && !s.props?.get(name)?.node.nullable) continue;
        out.add(name);
      }
    };
    add(m);
    return out;
  }

  /** oneOf / anyOf / allOf / not: in Istio's CRDs these say which fields exclude each other. */
  private combinators(m: YAMLMap, s: CompiledSchema, present: Set<string>): void {
    const node = s.node;
    let value: unknown;
    const plain = () => (value ??= m.toJS(this.doc, { maxAliasCount: 100 }) as unknown);
    const matches = (sub: SchemaNode) => subschemaMatches(sub, plain(), present);
    if (node.oneOf) {
      const n = node.oneOf.filter(matches).length;
      if (n !== 1) {
        const fields = exclusiveFields(node.oneOf);
        const set = fields?.filter((f) => present.has(f));
        const message =
          fields && set && set.length > 1
            ? `${this.where()} sets ${set.map((f) => JSON.stringify(f)).join(' and ')}, but only one of ${fields.join(', ')} may be set.`
            : `${this.where()} must match exactly one of its ${node.oneOf.length} alternatives (oneOf), not ${n}.`;
        this.push('one-of', this.fieldNode(m), message);
      }
    }
    if (node.anyOf && !node.anyOf.some(matches)) {
      const fields = node.anyOf.every((b) => b.required?.length === 1 && Object.keys(b).length === 1) ? node.anyOf.map((b) => b.required![0]) : undefined;
      this.push('one-of', this.fieldNode(m), fields ? `${this.where()} must set at least one of ${fields.join(', ')}.` : `${this.where()} must match at least one of its alternatives (anyOf).`);
    }
    if (node.allOf && !node.allOf.every(matches)) this.push('one-of', this.fieldNode(m), `${this.where()} must match all of its ${node.allOf.length} constraints (allOf).`);
    if (node.not && matches(node.not)) this.push('one-of', this.fieldNode(m), `${this.where()} matches a shape its schema forbids (not).`);
  }

  private field(name: string | undefined, key: Node | null, value: Node | null, s: CompiledSchema): void {
    const child = name === undefined ? undefined : s.props?.get(name);
    this.path.push(name ?? '?');
    this.keys.push(key);
    if (child) this.walk(value, child);
    else if (s.additional === true) {
      // Free-form content: nothing to check below this key.
    } else if (s.additional) this.walk(value, s.additional);
    else this.unknownField(name ?? String(key), key, s);
    this.keys.pop();
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
    if (s.items) {
      for (let i = 0; i < q.items.length; i++) {
        this.path.push(i);
        this.keys.push(null);
        this.walk(q.items[i] as Node | null, s.items);
        this.keys.pop();
        this.path.pop();
      }
    }
    if (!s.constrained) return;
    const node = s.node;
    const n = q.items.length;
    if (node.minItems !== undefined && n < node.minItems) {
      this.push('size-out-of-range', this.fieldNode(q), node.minItems === 1 ? `${this.where()} must not be empty.` : `${this.where()} must have at least ${node.minItems} items, not ${n}.`);
    } else if (node.maxItems !== undefined && n > node.maxItems) {
      this.push('size-out-of-range', this.fieldNode(q), `${this.where()} must have at most ${node.maxItems} items, not ${n}.`);
    }
    const listType = node['x-kubernetes-list-type'];
    if (listType === 'set' || listType === 'map' || node.uniqueItems) this.duplicates(q, s, listType === 'map' ? node['x-kubernetes-list-map-keys'] ?? [] : undefined);
  }

  /** `x-kubernetes-list-type: set` (whole items unique) and `map` (unique by the list-map keys). */
  private duplicates(q: YAMLSeq, s: CompiledSchema, mapKeys: readonly string[] | undefined): void {
    const seen = new Map<string, number>();
    q.items.forEach((item, i) => {
      let node = item as Node | null;
      if (node && isAlias(node)) node = (node.resolve(this.doc) as Node | undefined) ?? null;
      if (!node) return;
      let id: string;
      let shown: string;
      if (mapKeys) {
        if (!isMap(node)) return;
        const js = node.toJS(this.doc, { maxAliasCount: 100 }) as Record<string, unknown>;
        const parts = mapKeys.map((k) => js[k] ?? s.items?.props?.get(k)?.node.default ?? null);
        id = JSON.stringify(parts);
        shown = mapKeys.map((k, j) => `${k} ${JSON.stringify(parts[j])}`).join(', ');
      } else {
        const js = node.toJS(this.doc, { maxAliasCount: 100 }) as unknown;
        id = JSON.stringify(js);
        shown = truncate(id);
      }
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else {
        this.path.push(i);
        this.push('list-duplicate', item as Node, `${this.where()} repeats ${mapKeys ? `the entry with ${shown}` : `the value ${shown}`} of item ${first}; items must be unique.`);
        this.path.pop();
      }
    });
  }

  // -- CEL ---------------------------------------------------------------------------------------------------------

  /** Runs the CEL rules of a node the way the apiserver does, with `self` bound to the node's value. */
  private cel(node: Node, s: CompiledSchema): void {
    let self: unknown;
    let built = false;
    for (const v of s.validations ?? []) {
      const program = compileCel(v.rule);
      if ('error' in program) {
        this.celUnevaluated(node, v, program.error);
        continue;
      }
      if (!built) {
        self = this.celValue(node, s);
        built = true;
      }
      let result: unknown;
      try {
        result = program({ self });
      } catch (e) {
        const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
        // An overload or function cel-js lacks is our gap, not the author's; anything else (a failed conversion such
        // as int("acd"), a missing key) is an error the apiserver reports as a rejection too.
        if (/overload|unknown function|not supported|not a function/i.test(msg)) this.celUnevaluated(node, v, msg);
        // A field left out that the rule reads without has(): the apiserver's CEL fails with "no such key" too and
        // rejects the object, printing the rule's message after that error. The message is what the author meant to
        // say; the evaluator's wording (and which of two missing keys it met first) is noise.
        else if (/^no such key\b/i.test(msg)) this.celViolation(node, v, self, '');
        else this.celViolation(node, v, self, ` (evaluating the rule failed: ${msg})`);
        continue;
      }
      if (result === false) this.celViolation(node, v, self, '');
      else if (result !== true) this.celUnevaluated(node, v, `the rule returned ${typeof result}, not a boolean`);
    }
  }

  private celViolation(node: Node, v: CelValidation, self: unknown, suffix: string): void {
    let message = v.message ?? `failed rule: ${v.rule}`;
    if (v.messageExpression) {
      const p = compileCel(v.messageExpression);
      if (!('error' in p)) {
        try {
          const m = p({ self });
          if (typeof m === 'string' && m.trim()) message = m;
        } catch {
          // The static message (or the rule) stands in, as the apiserver does when messageExpression fails.
        }
      }
    }
    message = message.trim().replace(/\.$/, '');
    let target = this.fieldNode(node);
    const extra = v.fieldPath ? parseFieldPath(v.fieldPath) : undefined;
    if (extra?.length && isCollection(node)) {
      const inner = nodeAtFrom(this.doc, node, extra);
      if (inner) target = inner.key ?? inner.node;
    }
    const where = extra?.length ? this.whereWith(extra) : this.where();
    this.push('cel-violation', target, `${where}: ${message}${suffix}.`);
  }

  private celUnevaluated(node: Node, v: CelValidation, why: string): void {
    this.unevaluated ??= new Set();
    if (this.unevaluated.has(v.rule)) return;
    this.unevaluated.add(v.rule);
    this.push('cel-unevaluated', this.fieldNode(node), `${this.where()}: the CRD rule ${JSON.stringify(truncate(v.rule))} could not be checked (${why}).`);
  }

  /**
   * The value of a node as Kubernetes' CEL sees it: integers as int (bigint), numbers as double, declared fields
   * escaped (`namespace` → `__namespace__`), defaults applied, null fields pruned unless nullable, merge keys merged.
   */
  private celValue(node: Node | null, s: CompiledSchema | true | undefined): unknown {
    if (!node) return null;
    if (isAlias(node)) return this.celValue((node.resolve(this.doc) as Node | undefined) ?? null, s);
    const cached = this.celValues?.get(node);
    if (cached !== undefined) return cached;
    const sch = s === true ? undefined : s;
    let out: unknown;
    if (isScalar(node)) out = celScalar(node, sch);
    else if (isSeq(node)) out = node.items.map((i) => this.celValue(i as Node | null, sch?.items ?? true));
    else if (isMap(node)) {
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      const fill = (map: YAMLMap, own: boolean) => {
        for (const item of map.items) {
          if (!isPair(item) || !isScalar(item.key)) continue;
          const name = String(item.key.value);
          if (name === '<<' && item.key.type === Scalar.PLAIN) {
            const v = item.value as Node | null;
            for (const src of v && isSeq(v) ? (v.items as Node[]) : [v]) {
              const t = src && isAlias(src) ? (src.resolve(this.doc) as Node | undefined) : src;
              if (t && isMap(t)) fill(t, false);
            }
            continue;
          }
          const prop = sch?.props?.get(name);
          const key = prop ? escapeCelName(name) : name;
          if (key === undefined || (!own && key in obj)) continue;
          const childSchema = prop ?? (sch?.additional === true || !sch ? true : sch.additional);
          const v = this.celValue(item.value as Node | null, childSchema);
          if (v === null && !prop?.node.nullable) continue;
          obj[key] = v;
        }
      };
      fill(node, true);
      if (sch?.props) {
        for (const [name, prop] of sch.props) {
          const key = escapeCelName(name);
          if (key !== undefined && !(key in obj) && prop.node.default !== undefined) obj[key] = jsonToCel(prop.node.default, prop);
        }
      }
      out = obj;
    } else out = null;
    (this.celValues ??= new Map()).set(node, out);
    return out;
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

  /** `where()` with extra segments below the current node (a CEL rule's fieldPath). */
  private whereWith(extra: readonly PathSeg[]): string {
    this.path.push(...extra);
    try {
      return this.where();
    } finally {
      this.path.length -= extra.length;
    }
  }

  /** A collection's findings sit on its key (`portLevelMtls:`) when it has one; other nodes on themselves. */
  private fieldNode(node: Node): Node {
    const key = this.keys[this.keys.length - 1];
    return isCollection(node) && key ? key : node;
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
    this.typeProblems++;
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
    const allowed = [...(s.enumSet ?? [])].map(String);
    const guess = closest(value, allowed);
    const message =
      `Invalid value ${JSON.stringify(truncate(value))} for ${this.where()} (allowed: ${allowed.join(', ')})` +
      (guess ? `; did you mean ${JSON.stringify(guess.value)}?` : '.');
    const fix = guess ? replaceScalar(this.fileId, this.base, n, guess.value, `Change to ${guess.value}`, guess.certain) : undefined;
    this.push('invalid-enum', n, message, fix);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers of the constraint checks

function isCollection(node: Node): boolean {
  return isMap(node) || isSeq(node);
}

const FORMAT_NAMES: Record<string, string> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  byte: 'base64 value',
  'date-time': 'RFC 3339 date-time',
  datetime: 'RFC 3339 date-time',
  date: 'date (YYYY-MM-DD)',
  uri: 'URI',
  hostname: 'hostname',
  cidr: 'CIDR',
  uuid: 'UUID',
};

/** The string formats Kubernetes validates (k8s.io/kube-openapi strfmt), for the ones the CRDs use and a few more. */
function formatOk(format: string, v: string): boolean {
  switch (format) {
    case 'ipv4':
      return isIPv4(v);
    case 'ipv6':
      return v.includes(':') && parseIP(v) !== undefined;
    case 'byte':
      return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v);
    case 'date-time':
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T')));
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
    case 'uuid':
      return /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(v);
    case 'hostname':
      return /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/.test(v);
    case 'cidr': {
      const [ip, bits, extra] = v.split('/');
      const p = parseIP(ip);
      return extra === undefined && p !== undefined && /^\d{1,3}$/.test(bits ?? '') && Number(bits) <= (p.family === 4 ? 32 : 128);
    }
    default:
      return true;
  }
}

/**
 * Whether a plain value satisfies a oneOf/anyOf/allOf/not branch. The CRDs' branches are small (`required`, `not`
 * of `anyOf` of `required`, `format`), so this checks the keywords they use; `present` are the keys the apiserver
 * sees at the top level (null values pruned).
 */
function subschemaMatches(sub: SchemaNode, value: unknown, present?: ReadonlySet<string>): boolean {
  const obj = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (sub.required && !sub.required.every((k) => (present ? present.has(k) : obj !== undefined && obj[k] !== undefined && obj[k] !== null))) return false;
  if (sub.not && subschemaMatches(sub.not, value, present)) return false;
  if (sub.anyOf && !sub.anyOf.some((b) => subschemaMatches(b, value, present))) return false;
  if (sub.allOf && !sub.allOf.every((b) => subschemaMatches(b, value, present))) return false;
  if (sub.oneOf && sub.oneOf.filter((b) => subschemaMatches(b, value, present)).length !== 1) return false;
  if (sub.properties && obj) {
    for (const [k, p] of Object.entries(sub.properties)) if (obj[k] !== undefined && obj[k] !== null && !subschemaMatches(p, obj[k])) return false;
  }
  if (typeof value === 'string') {
    if (sub.format !== undefined && !formatOk(sub.format, value)) return false;
    if (sub.pattern !== undefined) {
      const re = re2(sub.pattern);
      if (!('error' in re) && !re.test(value)) return false;
    }
  }
  if (sub.enum && !sub.enum.includes(value as string)) return false;
  return true;
}

/**
 * The fields of an "at most one of" oneOf, the shape Istio's generator writes for a protobuf oneof:
 * `[{not: {anyOf: [{required: [a]}, {required: [b]}]}}, {required: [a]}, {required: [b]}]`.
 */
function exclusiveFields(branches: readonly SchemaNode[]): string[] | undefined {
  const fields: string[] = [];
  for (const b of branches) {
    if (b.required?.length === 1 && Object.keys(b).length === 1) fields.push(b.required[0]);
    else if (!(b.not?.anyOf && Object.keys(b).length === 1)) return undefined;
  }
  return fields.length ? fields : undefined;
}

/** A `fieldPath` such as `.spec.ports[0].name` or `.metadata['app.kubernetes.io/name']`, as path segments. */
function parseFieldPath(fp: string): PathSeg[] | undefined {
  const out: PathSeg[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/y;
  let i = 0;
  while (i < fp.length) {
    re.lastIndex = i;
    const m = re.exec(fp);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
    i = re.lastIndex;
  }
  return out;
}

/** The node (and its key, for a map field) at a path below `start`, following aliases. */
function nodeAtFrom(doc: Document, start: Node, path: readonly PathSeg[]): { node: Node; key: Node | null } | undefined {
  let node: Node | undefined = start;
  let key: Node | null = null;
  for (const seg of path) {
    if (node && isAlias(node)) node = node.resolve(doc) as Node | undefined;
    if (!node) return undefined;
    if (isMap(node) && typeof seg === 'string') {
      const pair = findPair(node, seg);
      if (!pair) return undefined;
      key = pair.key as Node | null;
      node = (pair.value as Node | null) ?? undefined;
      if (!node) return key ? { node: key, key } : undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node | undefined;
      key = null;
    } else return undefined;
  }
  return node ? { node, key } : undefined;
}

// Kubernetes escapes declared property names for CEL (apiextensions-apiserver pkg/apiserver/schema/cel/model):
// CEL keywords become `__kw__`, and `__`, `.`, `-`, `/` are spelled out. Names that cannot be escaped are not
// accessible from CEL at all.
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

// Schema property names repeat in every resource (and every object's defaults are looked up by name): escaped once.
const celNames = new Map<string, string | undefined>();

function escapeCelName(name: string): string | undefined {
  if (celNames.has(name)) return celNames.get(name);
  const out = escapeCelNameOnce(name);
  // Keys of free-form maps come from the files; only the first few thousand names are kept.
  if (celNames.size < 4096) celNames.set(name, out);
  return out;
}

function escapeCelNameOnce(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z_.\-/][A-Za-z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (c) => (c === '__' ? '__underscores__' : c === '.' ? '__dot__' : c === '-' ? '__dash__' : '__slash__'));
}

/** A YAML scalar as CEL sees it, typed by its schema: integers are CEL ints (bigint), numbers doubles. */
function celScalar(n: Scalar, s: CompiledSchema | undefined): unknown {
  const t = scalarType(n);
  const v = n.value;
  if (t === 'null') return null;
  if (t === 'boolean') return typeof v === 'boolean' ? v : /^(?:y|yes|on|true)$/i.test(String(v));
  if (t === 'integer' || t === 'number') {
    const num = typeof v === 'bigint' ? v : Number(v);
    if (s?.type === 'number') return Number(num);
    return Number.isInteger(Number(num)) ? BigInt(num) : Number(num);
  }
  return String(v);
}

/** A schema `default` (plain JSON) as a CEL value, the way the apiserver fills it in before validation. */
function jsonToCel(v: unknown, s: CompiledSchema | undefined): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return s?.type === 'number' || !Number.isInteger(v) ? v : BigInt(v);
  if (Array.isArray(v)) return v.map((x) => jsonToCel(x, s?.items));
  if (typeof v === 'object') {
    const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const prop = s?.props?.get(k);
      const key = prop ? escapeCelName(k) : k;
      if (key !== undefined) obj[key] = jsonToCel(x, prop ?? (s?.additional === true ? undefined : s?.additional));
    }
    if (s?.props) {
      for (const [name, prop] of s.props) {
        const key = escapeCelName(name);
        if (key !== undefined && !(key in obj) && prop.node.default !== undefined) obj[key] = jsonToCel(prop.node.default, prop);
      }
    }
    return obj;
  }
  return v;
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
