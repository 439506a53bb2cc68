import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector } from '../../istio/gateway';
import type { Finding } from '../../types';
import { crossModel, idOf, related, reportable, selectorKey, serversOf } from './model';
import { sameUnit } from './destination-rule-hosts';

interface HostUse {
  gw: Resource;
  server: number;
  hostIndex: number;
  raw: string;
  /** Namespace part: `*` for none or `*\/`, the Gateway's namespace for `./`. */
  ns: string;
  /** Host part, lower-cased (DNS names are case-insensitive). */
  host: string;
  port: number;
  tls: boolean;
}

/**
 * Hosts that overlap on one port of one gateway workload (same selector and bind): the same name in another case,
 * `*` next to anything, or `*.example.com` next to a name under it, in one Gateway or in several. Requests for the
 * overlapping names are routed by whichever server or VirtualService istiod happens to order first (Kiali KIA0301).
 * Identical host strings in different Gateways are gateway-conflict's (IST0145), and identical TLS hosts in separate
 * servers gateway-duplicate-server-host's; this rule reports the rest. Different Gateways are compared within one file
 * for now (sample folders keep alternative Gateways for one ingress in separate files).
 */
export const gatewayHostOverlap: WorkspaceRule = {
  id: 'gateway-host-overlap',
  kialiCode: 'KIA0301',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  summary: 'Hosts of Gateway servers on the same workload and port must not overlap (case, wildcards, namespace scope).',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const groups = new Map<string, HostUse[]>();
    for (const gw of model.gateways) {
      const sel = selectorKey(gatewaySelector(gw));
      for (const s of serversOf(model, gw)) {
        const port = s.port?.number;
        if (typeof port !== 'number') continue;
        const key = `${sel}\0${port}\0${s.bind ?? ''}`;
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        s.hosts.forEach((raw, hostIndex) => {
          const slash = raw.indexOf('/');
          let ns = slash >= 0 ? raw.slice(0, slash) : '*';
          if (ns === '.') ns = gw.namespace;
          list.push({ gw, server: s.index, hostIndex, raw, ns, host: (slash >= 0 ? raw.slice(slash + 1) : raw).toLowerCase(), port, tls: s.tls !== undefined });
        });
      }
    }
    const hits = new Map<HostUse, HostUse>();
    const pair = (a: HostUse, b: HostUse) => {
      if (a === b || !(a.ns === '*' || b.ns === '*' || a.ns === b.ns)) return;
      if (a.gw !== b.gw && (idOf(a.gw) === idOf(b.gw) || !sameUnit(a.gw, b.gw))) return;
      // Left to gateway-conflict (IST0145) and gateway-duplicate-server-host.
      if (a.gw !== b.gw && a.raw === b.raw) return;
      if (a.gw === b.gw && a.server !== b.server && a.tls && b.tls && a.ns === b.ns && a.host === b.host) return;
      if (!hits.has(a)) hits.set(a, b);
      if (!hits.has(b)) hits.set(b, a);
    };
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const exact = new Map<string, HostUse[]>();
      const wild: HostUse[] = [];
      for (const u of list) {
        if (u.host.startsWith('*')) wild.push(u);
        else {
          let l = exact.get(u.host);
          if (!l) exact.set(u.host, (l = []));
          l.push(u);
        }
      }
      for (const l of exact.values()) for (let i = 0; i < l.length; i++) for (let j = i + 1; j < l.length; j++) pair(l[i], l[j]);
      for (let i = 0; i < wild.length; i++) {
        const w = wild[i];
        // Two different wildcards overlap only through `*`; Kiali does not compare `*.a.com` with `*.b.a.com`.
        for (let j = i + 1; j < wild.length; j++) if (w.host === wild[j].host || w.host === '*' || wild[j].host === '*') pair(w, wild[j]);
        const suffix = w.host.slice(1);
        for (const [h, l] of exact) if (w.host === '*' || h.endsWith(suffix)) for (const u of l) pair(w, u);
      }
    }
    const out: Finding[] = [];
    for (const [u, other] of hits) {
      if (!reportable(u.gw)) continue;
      const where = other.gw === u.gw ? 'in the same Gateway' : `of Gateway "${idOf(other.gw)}"`;
      out.push(
        finding(this, spanIn(u.gw, ['spec', 'servers', u.server, 'hosts', u.hostIndex]), `Host "${u.raw}" overlaps host "${other.raw}" ${where} on port ${u.port}.`, {
          related: [related(other.gw, ['spec', 'servers', other.server, 'hosts', other.hostIndex], `Host "${other.raw}" of Gateway ${idOf(other.gw)}`)],
        }),
      );
    }
    return out;
  },
};
