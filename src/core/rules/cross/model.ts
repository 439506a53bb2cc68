import { pushTo } from '../../collections';
import type { WorkspaceIndex } from '../../index/workspace-index';
import type { MeshtlsConfig } from '../../config';
import { isObject, spanIn, type Json, type Resource } from '../../istio/resource';
import { gatewayServers, type GatewayServer } from '../../istio/gateway';
import { parseGatewayRef } from '../../istio/references';
import { placementOf, type Placed, type Placement } from '../../index/placement';
import type { Finding, RelatedInfo, TextEdit } from '../../types';
import { nodeAt, type PathSegment } from '../../yaml/documents';
import type { Node } from 'yaml';
import { isSeq } from '../../yaml/api';

/**
 * Lookup tables the cross-resource rules share. They are built once per index version, so the cross-resource
 * rules, which all run on every keystroke, pay one O(n) pass together instead of each scanning every resource again.
 * Every list holds placed instances (see ../../index/placement): a resource as a deployment unit applies it.
 */
export interface CrossModel {
  placement: Placement;
  gateways: Placed[];
  virtualServices: Placed[];
  destinationRules: Placed[];
  peerAuthentications: Placed[];
  /** `ns/name` → every Gateway instance with that identity (copies in several files or units are variants). */
  gatewaysByKey: Map<string, Placed[]>;
  /** Unit id → its Gateway instances. */
  gatewaysByUnit: Map<string, Placed[]>;
  /** Gateway name → every instance with that name, in any namespace (see gatewaysNamed: built when first asked). */
  gatewaysByName?: Map<string, Placed[]>;
  /** `ns/name` → Service manifest, when the workspace has one. */
  serviceByKey: Map<string, Placed>;
  /** PeerAuthentications per namespace, in workspace order. */
  peerAuthenticationsByNs: Map<string, Placed[]>;
  /** `ns/name` of Gateways `.meshtls.yaml` declares as living outside the workspace. */
  externalGateways: Set<string>;
  /** Labels of every Pod manifest in the workspace, with its namespace (usually none: Pods come from controllers). */
  pods: { namespace: string; labels: Record<string, string>; pod: Resource }[];
}

/** The kinds the model's lists and maps are built from, with the versions they had. */
const MODEL_KINDS = ['Gateway', 'VirtualService', 'DestinationRule', 'PeerAuthentication', 'Service', 'Pod'] as const;

const cache = new WeakMap<WorkspaceIndex, { version: number; config: MeshtlsConfig; model: CrossModel; kinds: number[] }>();

/**
 * The model of the index as it is now. Within one placement epoch the instances of a kind change only when the kind's
 * version does (see Placement.epoch), so the lists and maps of unchanged kinds are carried over as the same objects:
 * helpers may memoise on them (gatewayRefs does), and an edit of a VirtualService rebuilds none of the Gateway maps.
 */
export function crossModel(ctx: { index: WorkspaceIndex; config: MeshtlsConfig }): CrossModel {
  const { index, config } = ctx;
  const hit = cache.get(index);
  if (hit && hit.version === index.version && hit.config === config) return hit.model;
  const placement = placementOf(index, config);
  const kinds = MODEL_KINDS.map((k) => index.kindVersion(k));
  const prev = hit && hit.config === config && hit.model.placement.epoch === placement.epoch ? hit : undefined;
  const kept = (kind: (typeof MODEL_KINDS)[number]) => prev !== undefined && prev.kinds[MODEL_KINDS.indexOf(kind)] === kinds[MODEL_KINDS.indexOf(kind)];
  let byKind: Map<string, Placed[]> | undefined;
  const ofKind = (kind: string): Placed[] => {
    if (!byKind) {
      byKind = new Map();
      for (const p of placement.instances) {
        pushTo(byKind, p.kind, p);
      }
    }
    return byKind.get(kind) ?? [];
  };
  const old = prev?.model;
  const gatewaysKept = kept('Gateway');
  const model: CrossModel = {
    placement,
    gateways: gatewaysKept ? old!.gateways : ofKind('Gateway'),
    virtualServices: kept('VirtualService') ? old!.virtualServices : ofKind('VirtualService'),
    destinationRules: kept('DestinationRule') ? old!.destinationRules : ofKind('DestinationRule'),
    peerAuthentications: kept('PeerAuthentication') ? old!.peerAuthentications : ofKind('PeerAuthentication'),
    gatewaysByKey: gatewaysKept ? old!.gatewaysByKey : new Map(),
    gatewaysByName: gatewaysKept ? old!.gatewaysByName : undefined,
    gatewaysByUnit: gatewaysKept ? old!.gatewaysByUnit : new Map(),
    serviceByKey: kept('Service') ? old!.serviceByKey : new Map(),
    peerAuthenticationsByNs: kept('PeerAuthentication') ? old!.peerAuthenticationsByNs : new Map(),
    externalGateways: new Set(config.externalGateways),
    pods: kept('Pod') ? old!.pods : ofKind('Pod').map((pod) => ({ namespace: pod.namespace, labels: podLabels(pod), pod })),
  };
  if (!kept('PeerAuthentication')) {
    for (const pa of model.peerAuthentications) {
      pushTo(model.peerAuthenticationsByNs, pa.namespace, pa);
    }
  }
  if (!gatewaysKept) {
    for (const gw of model.gateways) {
      pushTo(model.gatewaysByKey, `${gw.namespace}/${gw.name}`, gw);
      pushTo(model.gatewaysByUnit, gw.unit.id, gw);
    }
  }
  if (!kept('Service')) {
    for (const svc of ofKind('Service')) {
      const key = `${svc.namespace}/${svc.name}`;
      if (!model.serviceByKey.has(key)) model.serviceByKey.set(key, svc);
    }
  }
  cache.set(index, { version: index.version, config, model, kinds });
  return model;
}

/**
 * The parsed servers of a Gateway instance: those of its document's resource, which every instance shares (parsed
 * once per spec by gatewayServers, so an edit of another Gateway keeps them).
 */
export function serversOf(_model: CrossModel, gw: Placed): GatewayServer[] {
  return gatewayServers(gw.source);
}

/**
 * Every Gateway instance named `name`, in any namespace. Only references whose namespace nothing states need this,
 * so the table is built on the first such question and kept with the model's Gateway lists.
 */
export function gatewaysNamed(model: CrossModel, name: string): Placed[] {
  if (!model.gatewaysByName) {
    model.gatewaysByName = new Map();
    for (const gw of model.gateways) pushTo(model.gatewaysByName, gw.name, gw);
  }
  return model.gatewaysByName.get(name) ?? [];
}

/** True when two instances are copies of one object (same kind/namespace/name): variants are never compared. */
export function sameIdentity(a: Resource, b: Resource): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/**
 * The candidates a reference from `from` resolves to among `list` (instances with the referenced identity): the
 * copy in the same file first, then those of the same unit, then every copy in the workspace.
 */
export function preferredCandidates<T extends Placed>(list: readonly T[], from: Placed): T[] {
  if (list.length <= 1) return list.slice();
  const sameFile = list.filter((c) => c.doc.fileId === from.doc.fileId);
  if (sameFile.length) return sameFile;
  const sameUnit = list.filter((c) => c.unit.id === from.unit.id);
  return sameUnit.length ? sameUnit : list.slice();
}

/**
 * Findings of a peer or reference rule, one per rule and span: a document applied by several units (a base in two
 * overlays, a file applied to several namespaces) would otherwise report the same mistake once per unit.
 */
export function onePerSpan(list: Finding[]): Finding[] {
  // Rule → file → spans as numbers: no key string per finding (a rule may report 20,000 Gateways).
  const seen = new Map<string, Map<string, Set<number | string>>>();
  return list.filter((f) => {
    let files = seen.get(f.ruleId);
    if (!files) seen.set(f.ruleId, (files = new Map()));
    let spans = files.get(f.fileId);
    if (!spans) files.set(f.fileId, (spans = new Set()));
    const key = f.end < SPAN_KEY_LIMIT && f.start < SPAN_KEY_LIMIT ? f.start * SPAN_KEY_LIMIT + f.end : `${f.start}:${f.end}`;
    if (spans.has(key)) return false;
    spans.add(key);
    return true;
  });
}
/** Offsets below this pack into one exact integer key (start · limit + end < 2^52). */
const SPAN_KEY_LIMIT = 2 ** 26;

/** Groups instances by deployment unit, keeping workspace order inside each group. */
export function byUnit<T extends Placed>(list: readonly T[]): T[][] {
  const m = new Map<string, T[]>();
  for (const r of list) {
    pushTo(m, r.unit.id, r);
  }
  return [...m.values()];
}

function podLabels(pod: Resource): Record<string, string> {
  const meta = pod.value.metadata;
  const labels = isObject(meta) && isObject(meta.labels) ? meta.labels : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k] = String(v);
  return out;
}

/** Findings are only reported on resources we could read as plain YAML; templated documents are skipped. */
export function reportable(r: Resource): boolean {
  return !r.doc.templated && r.name !== '';
}

/** `k1=v1,k2=v2` with sorted keys: two selectors are equal exactly when their keys are. */
export function selectorKey(sel: Record<string, string>): string {
  // Selectors are shared, never modified objects (one per Gateway spec): thousands of lookups of one Gateway's key
  // would each sort and join again.
  let key = selectorKeys.get(sel);
  if (key === undefined) {
    key = Object.keys(sel)
      .sort()
      .map((k) => `${k}=${sel[k]}`)
      .join(',');
    selectorKeys.set(sel, key);
  }
  return key;
}
const selectorKeys = new WeakMap<Record<string, string>, string>();

/** True when every label of `sub` is in `sup` with the same value (an empty selector is a subset of all). */
/** How many selector pairs were compared: tests check that rules over thousands of Gateways stay linear. */
export const selectorStats = { comparisons: 0 };

export function selectorSubset(sub: Record<string, string>, sup: Record<string, string>): boolean {
  selectorStats.comparisons++;
  for (const [k, v] of Object.entries(sub)) if (sup[k] !== v) return false;
  return true;
}

export function stringList(v: Json | undefined): { value: string; index: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { value: string; index: number }[] = [];
  v.forEach((x, index) => {
    if (typeof x === 'string') out.push({ value: x, index });
  });
  return out;
}

export function matchLabels(r: Resource, field: 'selector' | 'workloadSelector' = 'selector'): Record<string, string> | undefined {
  const sel = r.spec[field];
  if (!isObject(sel) || !isObject(sel.matchLabels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.matchLabels)) out[k] = String(v);
  return Object.keys(out).length ? out : undefined;
}

export function related(r: Resource, path: readonly PathSegment[], message: string): RelatedInfo {
  return { ...spanIn(r, path), message };
}

/** Istio's `host.Name.Matches`: identical names, or a wildcard covering the other name (case-sensitive). */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** Levenshtein distance, giving up (returning `limit + 1`) once it is certain to exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** A scalar written as plain YAML when that is safe, otherwise double-quoted. */
export function yamlScalar(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/.test(s) ? s : JSON.stringify(s);
}

/** One gateway reference of a VirtualService (`spec.gateways[]` or `http[].match[].gateways[]`), resolved the way istiod does. */
export interface GatewayRef {
  text: string;
  /** Path of the entry inside the VirtualService, for spans. */
  path: PathSegment[];
  /** True for an `http[].match[].gateways` entry. */
  inMatch: boolean;
  namespace: string;
  name: string;
  /** The preferred Gateway instance, when the workspace has one. */
  gateway?: Placed;
  /** Every equally preferred instance (copies of the Gateway in other files or units); `gateway` is the first. */
  candidates: Placed[];
  /** How many instances of the Gateway the workspace holds in all. */
  total: number;
  /**
   * The Gateway of the same kustomize build that this reference meant before a namePrefix/nameSuffix renamed it,
   * when kustomize does not carry the rename into the reference (kubernetes-sigs/kustomize#1262).
   */
  renamedAway?: Placed;
}

/**
 * The non-`mesh` gateway references of a VirtualService: `name` and `./name` mean the VirtualService's namespace,
 * `ns/name` is explicit, and the legacy `name.ns` and `name.ns.svc.cluster.local` forms name `ns/name` as istiod's
 * resolveGatewayName reads them. A reference resolves to the Gateway copy in the same file first, then the same unit.
 */
export function gatewayRefs(vs: Placed, model: CrossModel, opts: { matches?: boolean } = {}): GatewayRef[] {
  // The references depend on the VirtualService and the Gateway maps only, which the model keeps as the same objects
  // while no Gateway changes: after an edit, only the edited VirtualService resolves its references again.
  const memo = gatewayRefsMemo.get(vs);
  const hit = memo?.[opts.matches ? 1 : 0];
  if (hit && hit.byKey === model.gatewaysByKey) return hit.refs.slice();
  const refs = resolveGatewayRefs(vs, model, opts);
  const entry = memo ?? [undefined, undefined];
  entry[opts.matches ? 1 : 0] = { byKey: model.gatewaysByKey, refs };
  if (!memo) gatewayRefsMemo.set(vs, entry);
  return refs.slice();
}

const gatewayRefsMemo = new WeakMap<Placed, [GatewayRefsMemo | undefined, GatewayRefsMemo | undefined]>();
interface GatewayRefsMemo {
  byKey: Map<string, Placed[]>;
  refs: GatewayRef[];
}

function resolveGatewayRefs(vs: Placed, model: CrossModel, opts: { matches?: boolean }): GatewayRef[] {
  const out: GatewayRef[] = [];
  const add = (value: string, path: PathSegment[], inMatch: boolean) => {
    const ref = parseGatewayRef(value, vs.namespace);
    if (ref === 'mesh' || ref === undefined) return;
    let all = model.gatewaysByKey.get(`${ref.namespace}/${ref.name}`) ?? [];
    // A relative reference from a VirtualService whose namespace nothing says (no metadata.namespace, `kubectl -n`
    // or kustomization namespace) resolves wherever the VirtualService is applied: any Gateway of that name may be
    // the one meant. A Gateway whose own namespace is unknown stays in `default`, where `kubectl apply` puts it.
    if (all.length === 0 && !vs.nsKnown && !value.includes('.') && (!value.includes('/') || value.startsWith('./'))) {
      all = gatewaysNamed(model, ref.name);
    }
    let renamedAway: Placed | undefined;
    if (all.length === 0 && vs.unit.kind === 'kustomize') {
      const renamed = (model.gatewaysByUnit.get(vs.unit.id) ?? []).filter((g) => g.renamed && g.source.name === ref.name && g.namespace === ref.namespace);
      // With a nameReference configuration kustomize renames the reference too, so it names the renamed Gateway.
      if (vs.unit.nameReferences?.has('Gateway')) all = renamed;
      else renamedAway = renamed[0];
    }
    const candidates = preferredCandidates(all, vs);
    out.push({ text: value, path, inMatch, namespace: ref.namespace, name: ref.name, gateway: candidates[0], candidates, total: all.length, renamedAway });
  };
  for (const { value, index } of stringList(vs.spec.gateways)) add(value, ['spec', 'gateways', index], false);
  if (opts.matches && Array.isArray(vs.spec.http)) {
    vs.spec.http.forEach((route, i) => {
      if (!isObject(route) || !Array.isArray(route.match)) return;
      route.match.forEach((m, j) => {
        if (!isObject(m)) return;
        for (const { value, index } of stringList(m.gateways)) add(value, ['spec', 'http', i, 'match', j, 'gateways', index], true);
      });
    });
  }
  return out;
}

/** A related location that says a reference had several candidates, so which copy was compared is visible. */
export function candidatesNote(ref: GatewayRef, from: Placed, used: Placed | undefined = ref.gateway): RelatedInfo[] {
  if (ref.total < 2 || !used) return [];
  const why = used.doc.fileId === from.doc.fileId ? 'the copy in the same file' : used.unit.id === from.unit.id ? `the copy in the same unit (${used.unit.label})` : 'no copy in the same file or unit, so every copy counts';
  return [related(used, ['metadata', 'name'], `Gateway ${ref.namespace}/${ref.name} is defined ${ref.total} times; resolved to ${why}`)];
}

/** True when the VirtualService applies to sidecars: no gateways at all, or `mesh` among them. */
export function boundToMesh(vs: Resource): boolean {
  const gws = stringList(vs.spec.gateways);
  return gws.length === 0 || gws.some((g) => g.value === 'mesh');
}

/**
 * An edit that appends `value` to the YAML sequence at `path` inside `r`, in the sequence's own style: a new `- x`
 * line with the last item's indentation for block sequences, `, x` before the bracket for flow sequences.
 */
export function appendToSequence(r: Resource, path: readonly PathSegment[], value: string): TextEdit | undefined {
  const seq = nodeAt(r.doc.doc, [...r.path, ...path]);
  if (!seq || !isSeq(seq) || !seq.range) return undefined;
  const d = r.doc;
  const scalar = yamlScalar(value);
  const items = seq.items as Node[];
  const last = items[items.length - 1];
  if (seq.flow) {
    if (last?.range) return { fileId: d.fileId, start: d.base + last.range[1], end: d.base + last.range[1], newText: `, ${scalar}` };
    const at = d.base + seq.range[0] + 1;
    return { fileId: d.fileId, start: at, end: at, newText: scalar };
  }
  if (!last?.range) return undefined;
  const itemStart = last.range[0];
  const lineStart = d.text.lastIndexOf('\n', itemStart - 1) + 1;
  const prefix = d.text.slice(lineStart, itemStart);
  const dash = prefix.lastIndexOf('-');
  if (dash < 0) return undefined;
  // `- - x` or `- key: [..]` prefixes: keep only the dash of this sequence, the rest becomes indentation.
  const indent = prefix.slice(0, dash).replace(/[^\t]/g, ' ');
  // Insert at the end of the last item's line so a trailing comment stays with its item.
  let eol = d.text.indexOf('\n', last.range[1]);
  if (eol < 0) eol = d.text.length;
  if (d.text.charCodeAt(eol - 1) === 0x0d) eol--;
  const at = d.base + eol;
  return { fileId: d.fileId, start: at, end: at, newText: `\n${indent}${prefix.slice(dash)}${scalar}` };
}

/** `ns/name`, the identity Istio uses for a resource (two documents with the same identity are one resource). */
export function idOf(r: Resource): string {
  return `${r.namespace}/${r.name}`;
}

/**
 * The other parties of a clash within one group, bounded: at most `limit` entries whose owner is not `self`, and the
 * number of distinct other owners. Large groups (hundreds of Gateways sharing one wildcard certificate) then cost
 * O(limit) per finding instead of copying the whole group into every finding. Every owner without an entry among the
 * group's first `limit` gets the same list object (callers must not modify it), so a rule can build the message and
 * related locations once per distinct list.
 */
export function othersIn<T>(list: readonly T[], ownerOf: (t: T) => string, self: string, owners: number, limit = 10): { shown: readonly T[]; count: number } {
  // Callers ask once per member of the group: the answer depends only on the owner, so it is computed once per owner
  // of the head and once for everyone else. Scanning anew for each member cost O(group²) when one owner's entries
  // come first (a Gateway with 10,000 servers on a host another Gateway also binds).
  let memo = othersCache.get(list) as OthersMemo<T> | undefined;
  if (!memo || memo.limit !== limit) {
    const head = list.slice(0, limit);
    memo = { limit, head, headOwners: new Set(head.map(ownerOf)), perOwner: new Map() };
    othersCache.set(list, memo);
  }
  if (!memo.headOwners.has(self)) return { shown: memo.head, count: owners - 1 };
  let shown = memo.perOwner.get(self);
  if (!shown) {
    const own: T[] = [];
    for (const t of list) {
      if (own.length >= limit) break;
      if (ownerOf(t) !== self) own.push(t);
    }
    memo.perOwner.set(self, (shown = own));
  }
  return { shown, count: owners - 1 };
}
interface OthersMemo<T> {
  limit: number;
  /** The group's first `limit` entries: the answer for every owner that has none of them. */
  head: T[];
  headOwners: Set<string>;
  perOwner: Map<string, T[]>;
}
const othersCache = new WeakMap<readonly unknown[], OthersMemo<unknown>>();

/** `"a", "b", "c"` or `"a", "b", "c" and 4 more`: names in a message stay readable for large groups. */
export function quotedNames(names: readonly string[], total: number, max = 3): string {
  const distinct = [...new Set(names)];
  const head = distinct.slice(0, max).map((n) => `"${n}"`).join(', ');
  return total > Math.min(distinct.length, max) ? `${head} and ${total - Math.min(distinct.length, max)} more` : head;
}
