import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector, type GatewayServer } from '../../istio/gateway';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, related, reportable, sameIdentity, serversOf } from './model';
import { SelectorIndex } from './selector-index';

interface Seen {
  gw: Resource;
  sel: Record<string, string>;
  server: GatewayServer;
  hostIndex: number;
  /** Position in workspace order, to find the earliest clash among several selector groups. */
  order: number;
}

/**
 * istiod merges every Gateway that selects a proxy. A server with TLS settings whose host was already used by such a
 * server on the same port and bind (by the same Gateway or an earlier one) would give Envoy two identical SNI filter-chain matches, so istiod
 * skips the later server with only a log line (runtime behaviour RT-G1; istioctl has no code for it). Gateways of other
 * deployment units, and copies of the same Gateway, are not compared.
 */
export const gatewayDuplicateServerHost: WorkspaceRule = {
  id: 'gateway-duplicate-server-host',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  reads: ['Gateway'],
  summary: 'A TLS server repeating a host on the same port of one gateway proxy is skipped by istiod.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    // Per host key, the servers seen so far grouped by selector: a server is compared with the groups whose selector
    // contains or is contained in its own, never with every earlier server (thousands of Gateways on one host, each
    // with a selector of its own, were a pairwise comparison).
    const seen = new Map<string, SelectorIndex<Seen>>();
    let order = 0;
    const out: Finding[] = [];
    // Two hosts can only clash when their names after any `ns/` are equal: counting those names first spares the
    // bookkeeping for every host written once in the whole workspace (20,000 Gateways, one host each).
    const names = new Map<string, number>();
    for (const gw of model.gateways) {
      for (const server of serversOf(model, gw)) {
        if (server.tls && typeof server.port?.number === 'number') for (const host of server.hosts) names.set(hostName(host), (names.get(hostName(host)) ?? 0) + 1);
      }
    }
    // Workspace order stands in for creation order, which istiod uses to pick the server that survives.
    for (const gw of model.gateways) {
      const sel = gatewaySelector(gw);
      for (const server of serversOf(model, gw)) {
        // istiod checks every server with a tls block, an HTTP server carrying only httpsRedirect included.
        if (!server.tls || typeof server.port?.number !== 'number') continue;
        const keyOf = (host: string) => `${gw.unit.id}\0${server.port?.number}\0${server.bind ?? ''}\0${sanitized(host, gw.namespace)}`;
        let clash: { earlier: Seen; hostIndex: number } | undefined;
        server.hosts.forEach((host, hostIndex) => {
          if (clash || names.get(hostName(host))! < 2) return;
          const earlier = firstOnSameProxy(seen.get(keyOf(host)), gw, sel);
          if (earlier) clash = { earlier, hostIndex };
        });
        if (clash) {
          // istiod drops the whole server, so its other hosts are not registered either.
          if (!reportable(gw)) continue;
          const { earlier, hostIndex } = clash;
          const owner = earlier.gw === gw ? 'this Gateway' : `Gateway "${earlier.gw.namespace}/${earlier.gw.name}"`;
          const message = `Host "${server.hosts[hostIndex]}" on port ${server.port.number} is already used by server "${earlier.server.port?.name ?? `#${earlier.server.index}`}" of ${owner}, so istiod skips this server.`;
          out.push(
            finding(this, spanIn(gw, ['spec', 'servers', server.index, 'hosts', hostIndex]), message, {
              related: [related(earlier.gw, ['spec', 'servers', earlier.server.index, 'hosts', earlier.hostIndex], `First use of the host on Gateway ${earlier.gw.namespace}/${earlier.gw.name}`)],
            }),
          );
          continue;
        }
        server.hosts.forEach((host, hostIndex) => {
          if (names.get(hostName(host))! < 2) return;
          const key = keyOf(host);
          let groups = seen.get(key);
          if (!groups) seen.set(key, (groups = new SelectorIndex()));
          groups.add(sel, { gw, sel, server, hostIndex, order: order++ });
        });
      }
    }
    return onePerSpan(out);
  },
};

/** The host name without its namespace part: equal for any two hosts that sanitise to the same key. */
function hostName(host: string): string {
  const slash = host.indexOf('/');
  return slash < 0 ? host : host.slice(slash + 1);
}

/** Hosts as istiod compares them after sanitising: a bare host means `*\/host`, `./host` the Gateway's namespace. */
function sanitized(host: string, gwNs: string): string {
  if (!host.includes('/')) return `*/${host}`;
  return host.startsWith('./') ? `${gwNs}/${host.slice(2)}` : host;
}

/**
 * The earliest server seen that clashes with one of `gw` on `sel`: one of this Gateway, or of another Gateway (not a
 * copy of this one) certainly on the same proxy, which is when one selector contains the other (the proxy matching
 * the larger one).
 */
function firstOnSameProxy(groups: SelectorIndex<Seen> | undefined, gw: Resource, sel: Record<string, string>): Seen | undefined {
  if (!groups) return undefined;
  let best: Seen | undefined;
  for (const g of new Set([...groups.containedIn(sel), ...groups.containing(sel)])) {
    // Copies of this Gateway in other files are variants of it, not other Gateways on the proxy.
    const first = g.items.find((e) => e.gw === gw || !sameIdentity(e.gw, gw));
    if (first && (!best || first.order < best.order)) best = first;
  }
  return best;
}
