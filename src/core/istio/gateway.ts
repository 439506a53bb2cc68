import { isObject, spanIn, type Json, type JsonObject, type Resource } from './resource';
import type { Span } from '../types';

/** Typed view of one Gateway server; `index` is its position in spec.servers (for spans). */
export interface GatewayServer {
  index: number;
  port?: { number?: number; protocol?: string; name?: string; targetPort?: number };
  hosts: string[];
  tls?: JsonObject;
  bind?: string;
  name?: string;
}

// Parsed once per spec object: some fifteen rules read the servers of every Gateway, and placed copies of a Gateway
// share its spec. A document edit makes a new spec, so nothing stale is returned. Callers must not modify the result.
const serversCache = new WeakMap<JsonObject, GatewayServer[]>();
const selectorCache = new WeakMap<JsonObject, Record<string, string>>();

export function gatewayServers(gw: Resource): GatewayServer[] {
  let out = serversCache.get(gw.spec);
  if (!out) serversCache.set(gw.spec, (out = readServers(gw)));
  return out;
}

function readServers(gw: Resource): GatewayServer[] {
  const servers = gw.spec.servers;
  if (!Array.isArray(servers)) return [];
  const out: GatewayServer[] = [];
  servers.forEach((s: Json, index) => {
    if (!isObject(s)) return;
    const port = isObject(s.port) ? (s.port as GatewayServer['port']) : undefined;
    out.push({
      index,
      port,
      hosts: Array.isArray(s.hosts) ? stringsOf(s.hosts) : [],
      tls: isObject(s.tls) ? s.tls : undefined,
      bind: typeof s.bind === 'string' ? s.bind : undefined,
      name: typeof s.name === 'string' ? s.name : undefined,
    });
  });
  // Kept as long as the document: exact-size lists rather than ones grown by push (room for 17).
  return out.slice();
}

function stringsOf(list: Json[]): string[] {
  return list.every((h) => typeof h === 'string') ? (list.slice() as string[]) : list.filter((h): h is string => typeof h === 'string');
}

/**
 * Where a server's `tls.credentialName` is written. Several rules point at it for every Gateway (the credential
 * checks, the duplicate-certificate check): located once per parsed server, which copies of a Gateway share along with
 * its document. Callers must not modify the span.
 */
export function credentialNameSpan(gw: Resource, server: GatewayServer): Span {
  let span = credentialSpans.get(server);
  if (!span) credentialSpans.set(server, (span = spanIn(gw, ['spec', 'servers', server.index, 'tls', 'credentialName'])));
  return span;
}
const credentialSpans = new WeakMap<GatewayServer, Span>();

/** The selector with its values as strings; one object per spec, which callers must not modify. */
export function gatewaySelector(gw: Resource): Record<string, string> {
  let out = selectorCache.get(gw.spec);
  if (out) return out;
  const sel = gw.spec.selector;
  const fresh: Record<string, string> = {};
  if (isObject(sel)) for (const [k, v] of Object.entries(sel)) fresh[k] = String(v);
  // Equal selectors are one object: thousands of Gateways of one ingress share `istio: ingressgateway`, and what is
  // derived from a selector (its key, the namespace its pods run in) is then worked out once. Bounded, for an editor
  // session that sees many selectors come and go.
  const key = JSON.stringify(Object.entries(fresh).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  out = internedSelectors.get(key);
  if (!out) {
    if (internedSelectors.size >= 10_000) internedSelectors.clear();
    internedSelectors.set(key, (out = fresh));
  }
  selectorCache.set(gw.spec, out);
  return out;
}
const internedSelectors = new Map<string, Record<string, string>>();

export const HTTP_FAMILY = ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY'] as const;

export function protocolOf(server: GatewayServer): string {
  return String(server.port?.protocol ?? '').toUpperCase();
}
