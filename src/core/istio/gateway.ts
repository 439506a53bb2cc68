import { isObject, type Json, type JsonObject, type Resource } from './resource';

/** Typed view of one Gateway server; `index` is its position in spec.servers (for spans). */
export interface GatewayServer {
  index: number;
  port?: { number?: number; protocol?: string; name?: string; targetPort?: number };
  hosts: string[];
  tls?: JsonObject;
  bind?: string;
  name?: string;
}

export function gatewayServers(gw: Resource): GatewayServer[] {
  const servers = gw.spec.servers;
  if (!Array.isArray(servers)) return [];
  const out: GatewayServer[] = [];
  servers.forEach((s: Json, index) => {
    if (!isObject(s)) return;
    const port = isObject(s.port) ? (s.port as GatewayServer['port']) : undefined;
    out.push({
      index,
      port,
      hosts: Array.isArray(s.hosts) ? s.hosts.filter((h): h is string => typeof h === 'string') : [],
      tls: isObject(s.tls) ? s.tls : undefined,
      bind: typeof s.bind === 'string' ? s.bind : undefined,
      name: typeof s.name === 'string' ? s.name : undefined,
    });
  });
  return out;
}

export function gatewaySelector(gw: Resource): Record<string, string> {
  const sel = gw.spec.selector;
  const out: Record<string, string> = {};
  if (isObject(sel)) for (const [k, v] of Object.entries(sel)) out[k] = String(v);
  return out;
}

export const HTTP_FAMILY = ['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY'] as const;

export function protocolOf(server: GatewayServer): string {
  return String(server.port?.protocol ?? '').toUpperCase();
}
