// Shared reads for the Gateway rules. Values come from user YAML and may have any type; these helpers decide what
// Istio would see and hand the rules plain strings/numbers, so each rule stays a few lines of Istio's logic.
import { gatewayServers, type GatewayServer } from '../../istio/gateway';
import { spanIn, type JsonObject, type Resource } from '../../istio/resource';
import type { Span } from '../../types';
import type { PathSegment } from '../../yaml/documents';
import { isSet } from '../../istio/validation';

export const TLS_MODES = ['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Protocols the webhook accepts on a Gateway port (compared case-insensitively). */
export const GATEWAY_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY', 'TCP', 'TLS', 'UDP', 'MONGO', 'REDIS', 'MYSQL'] as const;
export const HTTP_PROTOCOLS: readonly string[] = ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY'];
export const NON_TLS_PROTOCOLS: readonly string[] = ['TCP', 'MONGO', 'REDIS', 'MYSQL', 'UDP'];

export function serverPath(s: GatewayServer, ...rest: PathSegment[]): PathSegment[] {
  return ['spec', 'servers', s.index, ...rest];
}

/** The upper-cased protocol, or undefined when it is not a string. */
export function protocol(s: GatewayServer): string | undefined {
  const p = s.port?.protocol as unknown;
  return typeof p === 'string' ? p.toUpperCase() : undefined;
}

/** How a server is named in messages: its port name, else its position. */
export function serverLabel(s: GatewayServer): string {
  const n = s.port?.name as unknown;
  return typeof n === 'string' && n !== '' ? `Server "${n}"` : `Server #${s.index}`;
}

export function isUnixBind(s: GatewayServer): boolean {
  return typeof s.bind === 'string' && s.bind.startsWith('unix://');
}

/**
 * True when the port passes Istio's port checks (GW-06..GW-10). The webhook checks the tls block against the
 * protocol (GW-14..GW-16) only then, so the TLS-versus-protocol rules stay silent on a broken port.
 */
export function portIsValid(s: GatewayServer): boolean {
  const port = s.port as unknown as JsonObject | undefined;
  if (!port) return false;
  const n = port.number;
  const p = port.protocol;
  const numberOk = typeof n === 'number' && Number.isInteger(n) && ((n >= 1 && n <= 65535) || (n === 0 && isUnixBind(s)));
  const protocolOk = typeof p === 'string' && (GATEWAY_PROTOCOLS as readonly string[]).includes(p.toUpperCase());
  const targetOk = port.targetPort === undefined || port.targetPort === null || port.targetPort === 0;
  return numberOk && protocolOk && targetOk && typeof port.name === 'string' && port.name !== '';
}

/** The effective TLS mode (an omitted mode is PASSTHROUGH), or undefined when the value is not a known mode. */
export function tlsMode(tls: JsonObject): TlsMode | undefined {
  const m = tls.mode;
  if (m === undefined || m === null) return 'PASSTHROUGH';
  return typeof m === 'string' && (TLS_MODES as readonly string[]).includes(m) ? (m as TlsMode) : undefined;
}

export function hasCredential(tls: JsonObject): boolean {
  return isSet(tls.credentialName) || isSet(tls.credentialNames);
}

export interface TlsServer {
  server: GatewayServer;
  tls: JsonObject;
  mode: TlsMode;
  /** Path of the tls block inside the resource. */
  path: PathSegment[];
}

/**
 * Servers with a tls block whose mode is readable; the schema rules report unreadable modes. Computed once per
 * parsed server list (several rules ask for every Gateway); callers must not modify the result.
 */
export function tlsServers(gw: Resource): readonly TlsServer[] {
  const servers = gatewayServers(gw);
  let out = tlsCache.get(servers);
  if (!out) {
    out = [];
    for (const server of servers) {
      if (!server.tls) continue;
      const mode = tlsMode(server.tls);
      if (mode) out.push({ server, tls: server.tls, mode, path: serverPath(server, 'tls') });
    }
    tlsCache.set(servers, out);
  }
  return out;
}
const tlsCache = new WeakMap<readonly GatewayServer[], TlsServer[]>();

/** The mode value, or the `tls` key itself when mode is omitted (the PASSTHROUGH default applies there). */
export function modeSpan(gw: Resource, t: TlsServer): Span {
  return t.tls.mode === undefined || t.tls.mode === null ? spanIn(gw, t.path, 'key') : spanIn(gw, [...t.path, 'mode']);
}
