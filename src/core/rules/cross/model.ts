import type { WorkspaceIndex } from '../../index/workspace-index';
import { isObject, spanIn, type Json, type Resource } from '../../istio/resource';
import { gatewayServers, type GatewayServer } from '../../istio/gateway';
import { parseGatewayRef } from '../../istio/references';
import type { RelatedInfo, TextEdit } from '../../types';
import { nodeAt, type PathSegment } from '../../yaml/documents';
import { isSeq, type Node } from 'yaml';

/**
 * Lookup tables the cross-resource rules share. They are built once per index version, so the cross-resource
 * rules, which all run on every keystroke, pay one O(n) pass together instead of each scanning every resource again.
 */
export interface CrossModel {
  gateways: Resource[];
  virtualServices: Resource[];
  destinationRules: Resource[];
  peerAuthentications: Resource[];
  /** `ns/name` → the first Gateway with that identity (later duplicates are another rule's business). */
  gatewayByKey: Map<string, Resource>;
  /** `ns/name` → the first Gateway API Gateway with that identity. */
  k8sGatewayByKey: Map<string, Resource>;
  /** `ns/name` → Service manifest, when the workspace has one. */
  serviceByKey: Map<string, Resource>;
  /** Servers per Gateway, parsed once. */
  servers: Map<Resource, GatewayServer[]>;
  /** PeerAuthentications per namespace, in workspace order. */
  peerAuthenticationsByNs: Map<string, Resource[]>;
}

const cache = new WeakMap<WorkspaceIndex, { version: number; model: CrossModel }>();

export function crossModel(index: WorkspaceIndex): CrossModel {
  const hit = cache.get(index);
  if (hit && hit.version === index.version) return hit.model;
  const gateways = inWorkspaceOrder(index.ofKind('Gateway'));
  const model: CrossModel = {
    gateways,
    virtualServices: inWorkspaceOrder(index.ofKind('VirtualService')),
    destinationRules: inWorkspaceOrder(index.ofKind('DestinationRule')),
    peerAuthentications: inWorkspaceOrder(index.ofKind('PeerAuthentication')),
    gatewayByKey: new Map(),
    k8sGatewayByKey: new Map(),
    serviceByKey: new Map(),
    servers: new Map(),
    peerAuthenticationsByNs: new Map(),
  };
  for (const pa of model.peerAuthentications) {
    let list = model.peerAuthenticationsByNs.get(pa.namespace);
    if (!list) model.peerAuthenticationsByNs.set(pa.namespace, (list = []));
    list.push(pa);
  }
  for (const gw of gateways) {
    const key = `${gw.namespace}/${gw.name}`;
    if (!model.gatewayByKey.has(key)) model.gatewayByKey.set(key, gw);
    model.servers.set(gw, gatewayServers(gw));
  }
  for (const gw of inWorkspaceOrder(index.ofKind('K8sGateway'))) {
    const key = `${gw.namespace}/${gw.name}`;
    if (!model.k8sGatewayByKey.has(key)) model.k8sGatewayByKey.set(key, gw);
  }
  for (const svc of inWorkspaceOrder(index.ofKind('Service'))) {
    const key = `${svc.namespace}/${svc.name}`;
    if (!model.serviceByKey.has(key)) model.serviceByKey.set(key, svc);
  }
  cache.set(index, { version: index.version, model });
  return model;
}

/**
 * Resources sorted by file id, then position in the file. Several rules must pick "the first" of competing resources
 * (istiod uses creation time, which files do not carry); sorting makes that choice the same in the CLI and the
 * editor, whatever order the files were loaded in.
 */
function inWorkspaceOrder(list: Resource[]): Resource[] {
  const pos = (r: Resource) => (typeof r.path[1] === 'number' ? r.path[1] : -1);
  return [...list].sort((a, b) => {
    const fa = a.doc.fileId;
    const fb = b.doc.fileId;
    if (fa !== fb) return fa < fb ? -1 : 1;
    return a.doc.index - b.doc.index || pos(a) - pos(b);
  });
}

/** Findings are only reported on resources we could read as plain YAML; templated documents are skipped. */
export function reportable(r: Resource): boolean {
  return !r.doc.templated && r.name !== '';
}

/** `k1=v1,k2=v2` with sorted keys: two selectors are equal exactly when their keys are. */
export function selectorKey(sel: Record<string, string>): string {
  return Object.keys(sel)
    .sort()
    .map((k) => `${k}=${sel[k]}`)
    .join(',');
}

/** True when every label of `sub` is in `sup` with the same value (an empty selector is a subset of all). */
export function selectorSubset(sub: Record<string, string>, sup: Record<string, string>): boolean {
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

/** One `spec.gateways[]` entry of a VirtualService, resolved the way istiod does. */
export interface GatewayRef {
  text: string;
  /** Position in spec.gateways, for spans. */
  index: number;
  namespace: string;
  name: string;
  gateway?: Resource;
  /**
   * A Gateway API Gateway with that namespace/name, when no Istio Gateway has it: istiod binds the VirtualService to
   * the listeners of a `gateway.networking.k8s.io` Gateway too (istioctl analyze accepts it since #60776).
   */
  k8sGateway?: Resource;
}

/**
 * The non-`mesh` gateway references of a VirtualService: `name` and `./name` mean the VirtualService's namespace,
 * `ns/name` is explicit, and the legacy `name.ns` form is split at its first dot as istiod does (Gateway names cannot contain
 * dots, so the form is unambiguous; the webhook warns about it separately).
 */
export function gatewayRefs(vs: Resource, model: CrossModel): GatewayRef[] {
  const out: GatewayRef[] = [];
  for (const { value, index } of stringList(vs.spec.gateways)) {
    const ref = parseGatewayRef(value, vs.namespace);
    if (ref === 'mesh' || ref === undefined) continue;
    const gateway = model.gatewayByKey.get(`${ref.namespace}/${ref.name}`);
    out.push({ text: value, index, namespace: ref.namespace, name: ref.name, gateway, k8sGateway: gateway ? undefined : model.k8sGatewayByKey.get(`${ref.namespace}/${ref.name}`) });
  }
  return out;
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
 * O(group) per finding at most and usually O(limit), instead of copying the whole group into every finding.
 */
export function othersIn<T>(list: readonly T[], ownerOf: (t: T) => string, self: string, owners: number, limit = 10): { shown: T[]; count: number } {
  const shown: T[] = [];
  for (const t of list) {
    if (shown.length >= limit) break;
    if (ownerOf(t) !== self) shown.push(t);
  }
  return { shown, count: owners - 1 };
}

/** `"a", "b", "c"` or `"a", "b", "c" and 4 more`: names in a message stay readable for large groups. */
export function quotedNames(names: string[], total: number, max = 3): string {
  const distinct = [...new Set(names)];
  const head = distinct.slice(0, max).map((n) => `"${n}"`).join(', ');
  return total > Math.min(distinct.length, max) ? `${head} and ${total - Math.min(distinct.length, max)} more` : head;
}
