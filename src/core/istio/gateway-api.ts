import { GATEWAY_API_GROUP, isObject, type Json, type JsonObject, type Resource } from './resource';
import type { PathSegment } from '../yaml/documents';

// Typed views of Gateway API objects as istiod reads them (pilot/pkg/config/kube/gateway). Defaults are applied
// here, once: a certificateRef without group/kind is a core Secret, a parentRef without namespace is in the route's
// namespace, a listener without allowedRoutes admits routes from its own namespace.

/** One listener of a Gateway (`spec.listeners[i]`) or of a ListenerSet. */
export interface Listener {
  /** The Gateway or ListenerSet that declares it; its namespace is where refs without a namespace resolve. */
  owner: Resource;
  index: number;
  /** Path of the listener inside its owner, for spans. */
  path: PathSegment[];
  name?: string;
  port?: number;
  /** As written (case kept: Istio refuses `https`). */
  protocol?: string;
  hostname?: string;
  tls?: JsonObject;
  allowedRoutes?: JsonObject;
}

export function listenersOf(owner: Resource): Listener[] {
  const list = owner.spec.listeners;
  if (!Array.isArray(list)) return [];
  const out: Listener[] = [];
  list.forEach((l: Json, index) => {
    if (!isObject(l)) return;
    out.push({
      owner,
      index,
      path: ['spec', 'listeners', index],
      name: typeof l.name === 'string' ? l.name : undefined,
      port: typeof l.port === 'number' ? l.port : undefined,
      protocol: typeof l.protocol === 'string' ? l.protocol : undefined,
      hostname: typeof l.hostname === 'string' && l.hostname !== '' ? l.hostname : undefined,
      tls: isObject(l.tls) ? l.tls : undefined,
      allowedRoutes: isObject(l.allowedRoutes) ? l.allowedRoutes : undefined,
    });
  });
  return out;
}

/** `listener "https"` or `listener #2` when it has no name, for messages. */
export function listenerLabel(l: Listener): string {
  return l.name !== undefined ? `listener "${l.name}"` : `listener #${l.index}`;
}

/** The protocols Istio builds for the `istio` class (`listenerProtocolToIstio`); HBONE only for waypoint/east-west. */
export const ISTIO_LISTENER_PROTOCOLS = ['HTTP', 'HTTPS', 'TLS', 'TCP'] as const;

export type TlsModeGA = 'Terminate' | 'Passthrough';

/** The listener's TLS mode with the CRD default (`Terminate` when `tls` is present without `mode`). */
export function listenerTlsMode(l: Listener): string | undefined {
  if (!l.tls) return undefined;
  return typeof l.tls.mode === 'string' ? l.tls.mode : 'Terminate';
}

/** A `certificateRefs` / `caCertificateRefs` entry with the CRD defaults applied (core group, kind Secret). */
export interface ObjectRef {
  group: string;
  kind: string;
  name: string;
  /** As written; undefined means the owner's namespace. */
  namespace?: string;
  /** Path inside the owner resource, for spans. */
  path: PathSegment[];
  index: number;
}

function objectRefs(v: Json | undefined, base: PathSegment[], defaultKind: string | undefined): ObjectRef[] {
  if (!Array.isArray(v)) return [];
  const out: ObjectRef[] = [];
  v.forEach((r, index) => {
    if (!isObject(r)) return;
    out.push({
      group: typeof r.group === 'string' ? r.group : '',
      kind: typeof r.kind === 'string' ? r.kind : defaultKind ?? '',
      name: typeof r.name === 'string' ? r.name : '',
      namespace: typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : undefined,
      path: [...base, index],
      index,
    });
  });
  return out;
}

export function certificateRefs(l: Listener): ObjectRef[] {
  return l.tls ? objectRefs(l.tls.certificateRefs, [...l.path, 'tls', 'certificateRefs'], 'Secret') : [];
}

/** `listeners[].tls.options`, string values only (the CRD types them as strings). */
export function tlsOptions(l: Listener): Map<string, { value: string; path: PathSegment[] }> {
  const out = new Map<string, { value: string; path: PathSegment[] }>();
  const o = l.tls?.options;
  if (isObject(o)) for (const [k, v] of Object.entries(o)) if (typeof v === 'string') out.set(k, { value: v, path: [...l.path, 'tls', 'options', k] });
  return out;
}

export const OPTION_TERMINATE_MODE = 'gateway.istio.io/tls-terminate-mode';
export const OPTION_CIPHER_SUITES = 'gateway.istio.io/tls-cipher-suites';
export const OPTION_LISTENER_PROTOCOL = 'gateway.istio.io/listener-protocol';
/** The values of `tls-terminate-mode` Istio's case-sensitive switch knows; anything else is ignored. */
export const TERMINATE_MODES = ['MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_SIMPLE', 'ISTIO_MUTUAL'] as const;

/** Client-certificate validation for a listener port: `spec.tls.frontend.perPort[port]`, else `default`. */
export interface FrontendValidation {
  gateway: Resource;
  /** Path of the `validation` object inside the Gateway. */
  path: PathSegment[];
  refs: ObjectRef[];
  mode: string;
  perPort: boolean;
}

export function frontendValidation(gw: Resource, port: number | undefined): FrontendValidation | undefined {
  const tls = isObject(gw.spec.tls) ? gw.spec.tls : undefined;
  const frontend = tls && isObject(tls.frontend) ? tls.frontend : undefined;
  if (!frontend) return undefined;
  const at = (v: Json | undefined, path: PathSegment[], perPort: boolean): FrontendValidation | undefined => {
    if (!isObject(v) || !isObject(v.validation)) return undefined;
    const vpath = [...path, 'validation'];
    return { gateway: gw, path: vpath, refs: objectRefs(v.validation.caCertificateRefs, [...vpath, 'caCertificateRefs'], undefined), mode: typeof v.validation.mode === 'string' ? v.validation.mode : 'AllowValidOnly', perPort };
  };
  if (Array.isArray(frontend.perPort)) {
    for (let i = 0; i < frontend.perPort.length; i++) {
      const p = frontend.perPort[i];
      if (isObject(p) && p.port === port && port !== undefined) return at(p.tls, ['spec', 'tls', 'frontend', 'perPort', i, 'tls'], true);
    }
  }
  return at(frontend.default, ['spec', 'tls', 'frontend', 'default'], false);
}

/** `spec.tls.frontend.perPort[]` entries with their ports, for checks that every entry applies to a listener. */
export function frontendPerPort(gw: Resource): { port: number | undefined; index: number }[] {
  const tls = isObject(gw.spec.tls) ? gw.spec.tls : undefined;
  const frontend = tls && isObject(tls.frontend) ? tls.frontend : undefined;
  if (!frontend || !Array.isArray(frontend.perPort)) return [];
  return frontend.perPort.map((p, index) => ({ port: isObject(p) && typeof p.port === 'number' ? p.port : undefined, index }));
}

/** One `spec.parentRefs[]` entry of a route, with defaults applied. */
export interface ParentRef {
  index: number;
  path: PathSegment[];
  group: string;
  kind: string;
  name: string;
  /** The effective namespace: as written, else the route's. */
  namespace: string;
  namespaceSet: boolean;
  sectionName?: string;
  port?: number;
}

export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'] as const;

export function parentRefs(route: Resource): ParentRef[] {
  const v = route.spec.parentRefs;
  if (!Array.isArray(v)) return [];
  const out: ParentRef[] = [];
  v.forEach((p, index) => {
    if (!isObject(p)) return;
    const ns = typeof p.namespace === 'string' && p.namespace !== '' ? p.namespace : undefined;
    out.push({
      index,
      path: ['spec', 'parentRefs', index],
      group: typeof p.group === 'string' ? p.group : GATEWAY_API_GROUP,
      kind: typeof p.kind === 'string' ? p.kind : 'Gateway',
      name: typeof p.name === 'string' ? p.name : '',
      namespace: ns ?? route.namespace,
      namespaceSet: ns !== undefined,
      sectionName: typeof p.sectionName === 'string' ? p.sectionName : undefined,
      port: typeof p.port === 'number' ? p.port : undefined,
    });
  });
  return out;
}

export function routeHostnames(route: Resource): { value: string; index: number }[] {
  const v = route.spec.hostnames;
  if (!Array.isArray(v)) return [];
  const out: { value: string; index: number }[] = [];
  v.forEach((h, index) => {
    if (typeof h === 'string') out.push({ value: h, index });
  });
  return out;
}

/**
 * Route kinds a listener supports (`GenerateGatewaySupportedKinds`): HTTP/HTTPS take HTTPRoute and GRPCRoute, TCP
 * takes TCPRoute, TLS takes TLSRoute (and TCPRoute when it terminates).
 */
export function supportedRouteKinds(l: Listener): string[] {
  switch (l.protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'TLS':
      return listenerTlsMode(l) === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    default:
      return [];
  }
}

/** `allowedRoutes.kinds` as written (group defaults to the Gateway API group). */
export function allowedRouteKinds(l: Listener): { group: string; kind: string; index: number }[] | undefined {
  const kinds = l.allowedRoutes?.kinds;
  if (!Array.isArray(kinds)) return undefined;
  const out: { group: string; kind: string; index: number }[] = [];
  kinds.forEach((k, index) => {
    if (isObject(k) && typeof k.kind === 'string') out.push({ group: typeof k.group === 'string' ? k.group : GATEWAY_API_GROUP, kind: k.kind, index });
  });
  return out;
}

/** Istio's `host.Name.Matches` as used for listener hostnames: equal, or a `*.` wildcard covering the other side. */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return false;
}
