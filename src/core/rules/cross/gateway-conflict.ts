import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector } from '../../istio/gateway';
import type { Finding } from '../../types';
import { crossModel, related, reportable, selectorKey } from './model';

interface HostUse {
  gw: Resource;
  server: number;
  hostIndex: number;
}

/**
 * Two Gateways with the same selector that declare the same host on the same port and bind end up on one proxy
 * listener; istiod keeps one server and drops the other, so which routes win depends on creation order
 * (istioctl analyze: IST0145 ConflictingGateways, reported on both Gateways).
 */
export const gatewayConflict: WorkspaceRule = {
  id: 'gateway-conflict',
  istioCode: 'IST0145',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Gateways with the same selector must not declare the same host on the same port.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx.index);
    // One key per (selector, port, bind, exact host string): Istio ignores protocol and TLS settings here.
    const uses = new Map<string, HostUse[]>();
    for (const gw of model.gateways) {
      const sel = selectorKey(gatewaySelector(gw));
      for (const s of model.servers.get(gw) ?? []) {
        if (typeof s.port?.number !== 'number') continue;
        s.hosts.forEach((host, hostIndex) => {
          const key = `${sel}\0${s.port?.number}\0${s.bind ?? ''}\0${host}`;
          let list = uses.get(key);
          if (!list) uses.set(key, (list = []));
          list.push({ gw, server: s.index, hostIndex });
        });
      }
    }
    const out: Finding[] = [];
    for (const list of uses.values()) {
      if (list.length < 2) continue;
      for (const cur of list) {
        if (!reportable(cur.gw)) continue;
        const others = list.filter((o) => o.gw.namespace !== cur.gw.namespace || o.gw.name !== cur.gw.name);
        if (others.length === 0) continue; // repeats inside one Gateway: gateway-duplicate-server-host
        const s = (model.servers.get(cur.gw) ?? []).find((x) => x.index === cur.server);
        const host = s?.hosts[cur.hostIndex] ?? '';
        const names = [...new Set(others.map((o) => `"${o.gw.namespace}/${o.gw.name}"`))];
        const message = `Host "${host}" on port ${s?.port?.number} conflicts with Gateway${names.length > 1 ? 's' : ''} ${names.join(', ')}, which ${names.length > 1 ? 'have' : 'has'} the same selector.`;
        out.push(
          finding(this, spanIn(cur.gw, ['spec', 'servers', cur.server, 'hosts', cur.hostIndex]), message, {
            related: others.slice(0, 10).map((o) => related(o.gw, ['spec', 'servers', o.server, 'hosts', o.hostIndex], `Same host on Gateway ${o.gw.namespace}/${o.gw.name}`)),
          }),
        );
      }
    }
    return out;
  },
};
