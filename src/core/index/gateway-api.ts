import type { WorkspaceIndex } from './workspace-index';
import { GATEWAY_API_GROUP, isObject, type Resource } from '../istio/resource';
import {
  allowedRouteKinds,
  hostnamesIntersect,
  listenersOf,
  listenerTlsMode,
  ISTIO_LISTENER_PROTOCOLS,
  routeHostnames,
  supportedRouteKinds,
  type Listener,
  type ParentRef,
} from '../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../istio/versions';

// Workspace-wide Gateway API questions (ReferenceGrants, which listeners istiod builds, route attachment), answered
// the way istiod answers them in pilot/pkg/config/kube/gateway. Rules and editor features share these.

/** Gateway classes Istio itself serves (`GetBuiltinGatewayClasses`), used when no GatewayClass object says otherwise. */
export const ISTIO_BUILTIN_CLASSES = ['istio', 'istio-remote', 'istio-waypoint', 'istio-east-west'] as const;
export const ISTIO_CONTROLLER = 'istio.io/gateway-controller';

/**
 * Whether istiod serves a Gateway: its class is one of Istio's built-in classes, or a GatewayClass in the workspace
 * names Istio's controller. `other` when a GatewayClass names another controller (istiod ignores the Gateway and so
 * does meshtls), `unknown` when nothing says (a typo, or a class installed elsewhere).
 */
export function gatewayClassOwner(index: WorkspaceIndex, gw: Resource): 'istio' | 'other' | 'unknown' {
  const name = typeof gw.spec.gatewayClassName === 'string' ? gw.spec.gatewayClassName : '';
  const cls = index.ofKind('GatewayClass').find((c) => c.name === name);
  if (cls) return cls.spec.controllerName === ISTIO_CONTROLLER || (typeof cls.spec.controllerName === 'string' && cls.spec.controllerName.startsWith('istio.io/')) ? 'istio' : 'other';
  return (ISTIO_BUILTIN_CLASSES as readonly string[]).includes(name) ? 'istio' : 'unknown';
}

/** The parent Gateway of a ListenerSet (`spec.parentRef`), if it is in the workspace. */
export function listenerSetParent(index: WorkspaceIndex, ls: Resource): Resource | undefined {
  const p = ls.spec.parentRef;
  if (!isObject(p) || typeof p.name !== 'string') return undefined;
  if ((p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) return undefined;
  const ns = typeof p.namespace === 'string' && p.namespace ? p.namespace : ls.namespace;
  return index.find('K8sGateway', ns, p.name);
}

export interface ListenerSetAdmission {
  /** The parent Gateway, when it is in the workspace. */
  parent?: Resource;
  /** `allowedListeners.namespaces.from` of the parent (CRD default `None`). */
  from: string;
  /** Whether the parent admits the ListenerSet; undefined when it depends on namespace labels not in the workspace. */
  allowed: boolean | undefined;
}

/**
 * Whether the parent Gateway admits a ListenerSet (`NamespaceAcceptedByAllowListeners`): `spec.allowedListeners`
 * `namespaces.from` is `None` by default, `Same` admits the Gateway's namespace, `All` every one, `Selector` the
 * namespaces whose labels match. Not admitted: Accepted=False NotAllowed and none of its listeners is built.
 */
export function listenerSetAdmission(index: WorkspaceIndex, ls: Resource): ListenerSetAdmission {
  const parent = listenerSetParent(index, ls);
  if (!parent) return { from: 'None', allowed: undefined };
  const al = isObject(parent.spec.allowedListeners) ? parent.spec.allowedListeners : {};
  const nss = isObject(al.namespaces) ? al.namespaces : {};
  const from = typeof nss.from === 'string' ? nss.from : 'None';
  let allowed: boolean | undefined;
  if (from === 'All') allowed = true;
  else if (from === 'Same') allowed = ls.namespace === parent.namespace;
  else if (from === 'Selector') allowed = selectorMatches(nss.selector, namespaceLabels(index, ls.namespace), ls.namespace);
  else allowed = false;
  return { parent, from, allowed };
}

/** Why istiod does not build a listener (so it serves nothing and routes naming it get NoMatchingParent). */
export type NotBuilt = 'unsupported-protocol' | 'no-tls' | 'conflict';

/**
 * Listener conflicts (`gatewaycommon/listener_conflict.go` `listenersDistinct`): in order, a listener that is not
 * distinct from an earlier winner loses. Same port: two of HTTP/HTTPS/TLS are distinct only when their hostnames
 * differ (unset = `*`); TCP/UDP conflicts with anything.
 */
export function listenerConflicts(listeners: Listener[]): Map<Listener, { winner: Listener; reason: 'ProtocolConflict' | 'HostnameConflict' }> {
  const out = new Map<Listener, { winner: Listener; reason: 'ProtocolConflict' | 'HostnameConflict' }>();
  const winners: Listener[] = [];
  const hostProtocols = ['HTTP', 'HTTPS', 'TLS'];
  for (const l of listeners) {
    // A listener of an unknown protocol is refused on its own (UnsupportedProtocol) and takes no part here.
    if (!['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP'].includes(l.protocol ?? '')) continue;
    let lost: { winner: Listener; reason: 'ProtocolConflict' | 'HostnameConflict' } | undefined;
    for (const w of winners) {
      if (l.port === undefined || w.port !== l.port) continue;
      const a = l.protocol ?? '';
      const b = w.protocol ?? '';
      if (hostProtocols.includes(a) && hostProtocols.includes(b)) {
        if ((l.hostname ?? '*') !== (w.hostname ?? '*')) continue;
        lost = { winner: w, reason: a === b ? 'HostnameConflict' : 'ProtocolConflict' };
      } else {
        lost = { winner: w, reason: a === b && a !== 'TCP' && a !== 'UDP' ? 'HostnameConflict' : 'ProtocolConflict' };
      }
      break;
    }
    if (lost) out.set(l, lost);
    else winners.push(l);
  }
  return out;
}

export function isIstioProtocol(p: string | undefined): boolean {
  return p !== undefined && (ISTIO_LISTENER_PROTOCOLS as readonly string[]).includes(p);
}

/** Whether istiod builds this listener, and why not. `conflicts` is the owner's conflict map. */
export function listenerNotBuilt(l: Listener, conflicts: Map<Listener, unknown>, target: string): NotBuilt | undefined {
  if (!isIstioProtocol(l.protocol)) return 'unsupported-protocol';
  if (conflicts.has(l)) return 'conflict';
  if ((l.protocol === 'HTTPS' || l.protocol === 'TLS') && !l.tls && (l.owner.kind === 'ListenerSet' || istioAtLeast(target, ISTIO_CHANGES.httpsWithoutTlsDropped))) return 'no-tls';
  return undefined;
}

/** Every listener a route can name through a parentRef: a Gateway's own plus those of ListenerSets attached to it. */
export function parentListeners(index: WorkspaceIndex, parent: Resource): Listener[] {
  if (parent.kind === 'ListenerSet') return listenersOf(parent);
  const own = listenersOf(parent);
  return own;
}

/** The ListenerSets a Gateway admits, in workspace order (istiod takes them oldest first). */
export function admittedListenerSets(index: WorkspaceIndex, gw: Resource): Resource[] {
  return index.ofKind('ListenerSet').filter((ls) => listenerSetParent(index, ls) === gw && listenerSetAdmission(index, ls).allowed === true);
}

/**
 * Listener conflicts as istiod computes them for the Gateway a parent belongs to: its own listeners first (they always
 * win), then those of the ListenerSets it admits.
 */
export function conflictsAround(index: WorkspaceIndex, parent: Resource): ReturnType<typeof listenerConflicts> {
  const gw = parent.kind === 'ListenerSet' ? listenerSetParent(index, parent) : parent;
  if (!gw) return listenerConflicts(listenersOf(parent));
  return listenerConflicts([...listenersOf(gw), ...admittedListenerSets(index, gw).flatMap(listenersOf)]);
}

/**
 * The conflicts of a parent's listeners, keyed by the given listener objects: conflicts are computed over the whole
 * Gateway (with the ListenerSets it admits), on listener objects of their own.
 */
export function parentConflicts(index: WorkspaceIndex, parent: Resource, listeners: readonly Listener[]): ReturnType<typeof listenerConflicts> {
  const around = [...conflictsAround(index, parent)];
  return new Map(listeners.flatMap((l) => around.filter(([k]) => k.owner === l.owner && k.index === l.index).map(([, c]) => [l, c] as const)));
}

/** Finds the parent a parentRef names (Gateway or ListenerSet of the Gateway API group). */
export function findParent(index: WorkspaceIndex, ref: ParentRef): Resource | undefined {
  if (ref.group !== GATEWAY_API_GROUP) return undefined;
  if (ref.kind === 'Gateway') return index.find('K8sGateway', ref.namespace, ref.name);
  if (ref.kind === 'ListenerSet') return index.find('ListenerSet', ref.namespace, ref.name);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// ReferenceGrant (gatewaycommon/references.go)

export interface GrantCheck {
  allowed: boolean;
  /** Grants in the target namespace that name the referrer, but not this object (for messages and fixes). */
  near: Resource[];
  /** A grant that would match by kind but names the object, which Istio compares with a `-cacert` suffix. */
  namedCaGrant?: Resource;
}

/**
 * Whether a `from` object may reference `to` across namespaces. The grant must live in the target's namespace and
 * name the referrer's kind and namespace exactly; `to.name` unset admits every object of the kind. CA refs are
 * looked up by istiod under `<name>-cacert`, so a grant naming the CA object never matches them (§3.7).
 */
export function referenceGrantAllows(
  index: WorkspaceIndex,
  args: { fromKind: string; fromNamespace: string; toKind: string; toNamespace: string; toName: string; caRef?: boolean; target: string },
): GrantCheck {
  if (args.fromNamespace === args.toNamespace) return { allowed: true, near: [] };
  const near: Resource[] = [];
  let namedCaGrant: Resource | undefined;
  for (const g of index.ofKind('ReferenceGrant')) {
    if (g.namespace !== args.toNamespace) continue;
    const from = Array.isArray(g.spec.from) ? g.spec.from : [];
    const fromOk = from.some((f) => isObject(f) && f.group === GATEWAY_API_GROUP && f.kind === args.fromKind && f.namespace === args.fromNamespace);
    if (!fromOk) continue;
    near.push(g);
    let to = Array.isArray(g.spec.to) ? g.spec.to.filter(isObject) : [];
    // Before 1.30 only the last `to` entry of a grant counted.
    if (!istioAtLeast(args.target, ISTIO_CHANGES.grantToEntriesOred)) to = to.slice(-1);
    for (const t of to) {
      if ((t.group ?? '') !== '' || t.kind !== args.toKind) continue;
      const name = typeof t.name === 'string' && t.name !== '' ? t.name : undefined;
      if (name === undefined) return { allowed: true, near };
      if (args.caRef) {
        if (name === args.toName) namedCaGrant = g;
        if (name === `${args.toName}-cacert`) return { allowed: true, near };
        continue;
      }
      if (name === args.toName) return { allowed: true, near };
    }
  }
  return { allowed: false, near, namedCaGrant };
}

// ---------------------------------------------------------------------------------------------------------------
// Route attachment (gateway/conversion.go referenceAllowed; gateway/conditions.go createRouteStatus)

export type AttachReason = 'NotAllowedByListeners' | 'NoMatchingListenerHostname' | 'NoMatchingParent';

export interface ListenerVerdict {
  listener: Listener;
  accepted: boolean;
  reason?: AttachReason;
  message?: string;
  /** Set when the failure is the route kind, not its namespace. */
  kind?: boolean;
}

export interface Attachment {
  parent?: Resource;
  /** Empty when the parent has no listener the ref could name. */
  verdicts: ListenerVerdict[];
  accepted: boolean;
  /** The reason Istio reports for the parentRef when nothing accepted, and its message (joined like istiod's). */
  reason?: AttachReason;
  message?: string;
}

const RANK: Record<AttachReason, number> = { NotAllowedByListeners: 0, NoMatchingListenerHostname: 1, NoMatchingParent: 2 };

/** Namespace labels known from Namespace manifests; `kubernetes.io/metadata.name` is always implied. */
function namespaceLabels(index: WorkspaceIndex, ns: string): Record<string, string> | undefined {
  const obj = index.find('Namespace', ns, ns);
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': ns };
  if (!obj) return undefined;
  const meta = isObject(obj.value.metadata) ? obj.value.metadata : {};
  if (isObject(meta.labels)) for (const [k, v] of Object.entries(meta.labels)) labels[k] = String(v);
  return labels;
}

/** Evaluates a label selector; undefined when the labels it needs are not known offline. */
function selectorMatches(sel: unknown, labels: Record<string, string> | undefined, ns: string): boolean | undefined {
  if (!isObject(sel)) return true; // a missing selector with from: Selector is treated as All
  const known = labels ?? { 'kubernetes.io/metadata.name': ns };
  const keys: string[] = [];
  const ml = isObject(sel.matchLabels) ? sel.matchLabels : {};
  for (const k of Object.keys(ml)) keys.push(k);
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isObject) : [];
  for (const e of exprs) if (typeof e.key === 'string') keys.push(e.key);
  if (!labels && keys.some((k) => k !== 'kubernetes.io/metadata.name')) return undefined;
  for (const [k, v] of Object.entries(ml)) if (known[k] !== String(v)) return false;
  for (const e of exprs) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in known;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(known[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(known[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // a selector that does not parse admits no namespace
    }
  }
  return true;
}

/** Whether a listener admits routes from `ns` (`allowedRoutes.namespaces`); undefined when unknowable offline. */
export function namespaceAllowed(index: WorkspaceIndex, l: Listener, ns: string): boolean | undefined {
  const nss = isObject(l.allowedRoutes?.namespaces) ? l.allowedRoutes.namespaces : {};
  const from = typeof nss.from === 'string' ? nss.from : 'Same';
  if (from === 'All') return true;
  if (from === 'Selector') return selectorMatches(nss.selector, namespaceLabels(index, ns), ns);
  return ns === l.owner.namespace;
}

/**
 * How istiod attaches one parentRef of a route (`referenceAllowed` per listener, collapsed per parentRef): any
 * accepting listener wins; otherwise NotAllowedByListeners before NoMatchingListenerHostname before NoMatchingParent.
 * `unknown` is returned when the answer depends on namespace labels the workspace does not have.
 */
export function attachParentRef(index: WorkspaceIndex, route: Resource, ref: ParentRef, target: string): Attachment | 'unknown' {
  const parent = findParent(index, ref);
  if (!parent) return { verdicts: [], accepted: false };
  // A ListenerSet its Gateway does not admit (or whose Gateway is missing) builds no listener and gives its routes no
  // status; gateway-api-listener-set-not-allowed reports the ListenerSet itself.
  if (parent.kind === 'ListenerSet') {
    const adm = listenerSetAdmission(index, parent);
    if (adm.allowed === undefined && adm.parent) return 'unknown';
    if (adm.allowed !== true) return { parent, verdicts: [], accepted: false };
  }
  const listeners = parentListeners(index, parent);
  const conflicts = parentConflicts(index, parent, listeners);
  const hostnames = routeHostnames(route).map((h) => h.value);
  const routeHosts = hostnames.length ? hostnames : ['*'];
  const verdicts: ListenerVerdict[] = [];
  let unknown = false;
  for (const l of listeners) {
    if (listenerNotBuilt(l, conflicts, target)) {
      // Not built: istiod has no parent for it, so it never accepts; a sectionName naming it is "not found".
      if (ref.sectionName === undefined || ref.sectionName === l.name) verdicts.push({ listener: l, accepted: false, reason: 'NoMatchingParent', message: `sectionName "${ref.sectionName ?? l.name ?? ''}" not found` });
      continue;
    }
    if (ref.port !== undefined && ref.port !== l.port) {
      verdicts.push({ listener: l, accepted: false, reason: 'NoMatchingParent', message: `port ${ref.port} not found` });
      continue;
    }
    if (ref.sectionName !== undefined && ref.sectionName !== l.name) {
      verdicts.push({ listener: l, accepted: false, reason: 'NoMatchingParent', message: `sectionName "${ref.sectionName}" not found` });
      continue;
    }
    const lh = l.hostname ?? '*';
    // TCPRoute has no hostnames; TLSRoute and the HTTP kinds match theirs against the listener's.
    const hostMatch = route.kind === 'TCPRoute' || routeHosts.some((h) => hostnamesIntersect(h, lh));
    if (!hostMatch) {
      verdicts.push({ listener: l, accepted: false, reason: 'NoMatchingListenerHostname', message: `no hostnames matched parent hostname "${lh}"` });
      continue;
    }
    const allowed = namespaceAllowed(index, l, route.namespace);
    if (allowed === undefined) {
      unknown = true;
      continue;
    }
    if (!allowed) {
      verdicts.push({ listener: l, accepted: false, reason: 'NotAllowedByListeners', message: `hostnames matched parent hostname "${lh}", but namespace "${route.namespace}" is not allowed by the parent` });
      continue;
    }
    const kinds = allowedRouteKinds(l);
    const supported = supportedRouteKinds(l).filter((k) => !kinds || kinds.some((a) => a.group === GATEWAY_API_GROUP && a.kind === k));
    if (!supported.includes(route.kind)) {
      verdicts.push({ listener: l, accepted: false, reason: 'NotAllowedByListeners', message: `kind ${GATEWAY_API_GROUP}/${route.kind} is not allowed`, kind: true });
      continue;
    }
    verdicts.push({ listener: l, accepted: true });
  }
  if (verdicts.some((v) => v.accepted)) return { parent, verdicts, accepted: true };
  if (unknown) return 'unknown';
  if (verdicts.length === 0) {
    // No listener at all to name: a sectionName/port that matches nothing, or a parent without listeners.
    const message = ref.sectionName !== undefined ? `sectionName "${ref.sectionName}" not found` : ref.port !== undefined ? `port ${ref.port} not found` : 'no listeners';
    return { parent, verdicts, accepted: false, reason: 'NoMatchingParent', message };
  }
  const best = Math.min(...verdicts.map((v) => RANK[v.reason!]));
  const top = verdicts.filter((v) => RANK[v.reason!] === best);
  const message = [...new Set(top.map((v) => v.message!))].join('; ');
  return { parent, verdicts, accepted: false, reason: top[0].reason, message };
}

/** Every route of the workspace (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute), in index order. */
export function allRoutes(index: WorkspaceIndex): Resource[] {
  return [...index.ofKind('HTTPRoute'), ...index.ofKind('GRPCRoute'), ...index.ofKind('TLSRoute'), ...index.ofKind('TCPRoute')];
}

/** Whether a listener terminates TLS (HTTPS, or TLS with mode Terminate). */
export function terminates(l: Listener): boolean {
  return (l.protocol === 'HTTPS' || l.protocol === 'TLS') && listenerTlsMode(l) === 'Terminate';
}
