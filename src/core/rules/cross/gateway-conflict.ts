import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector } from '../../istio/gateway';
import type { Finding } from '../../types';
import { crossModel, idOf, onePerSpan, othersIn, quotedNames, related, reportable, selectorKey, serversOf } from './model';

interface HostUse {
  gw: Resource;
  server: number;
  hostIndex: number;
  host: string;
  port: number;
}

/**
 * Two Gateways with the same selector that declare the same host on the same port and bind end up on one proxy
 * listener; istiod keeps one server and drops the other, so which routes win depends on creation order
 * (istioctl analyze: IST0145 ConflictingGateways, reported on both Gateways). Only Gateways of one deployment unit are
 * compared: files that are never applied together cannot conflict.
 */
export const gatewayConflict: WorkspaceRule = {
  id: 'gateway-conflict',
  istioCode: 'IST0145',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Gateways with the same selector must not declare the same host on the same port.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    // One key per (unit, selector, port, bind, exact host string): Istio ignores protocol and TLS settings here.
    const uses = new Map<string, HostUse[]>();
    for (const gw of model.gateways) {
      const sel = selectorKey(gatewaySelector(gw));
      for (const s of serversOf(model, gw)) {
        const port = s.port?.number;
        if (typeof port !== 'number') continue;
        s.hosts.forEach((host, hostIndex) => {
          const key = `${gw.unit.id}\0${sel}\0${port}\0${s.bind ?? ''}\0${host}`;
          let list = uses.get(key);
          if (!list) uses.set(key, (list = []));
          list.push({ gw, server: s.index, hostIndex, host, port });
        });
      }
    }
    const out: Finding[] = [];
    for (const list of uses.values()) {
      if (list.length < 2) continue;
      const owners = new Set(list.map((u) => idOf(u.gw))).size;
      // Repeats inside one Gateway are gateway-duplicate-server-host's business.
      if (owners < 2) continue;
      for (const cur of list) {
        if (!reportable(cur.gw)) continue;
        const { shown, count } = othersIn(list, (u) => idOf(u.gw), idOf(cur.gw), owners);
        const names = quotedNames(shown.map((o) => idOf(o.gw)), count);
        const message = `Host "${cur.host}" on port ${cur.port} conflicts with Gateway${count > 1 ? 's' : ''} ${names}, which ${count > 1 ? 'have' : 'has'} the same selector.`;
        out.push(
          finding(this, spanIn(cur.gw, ['spec', 'servers', cur.server, 'hosts', cur.hostIndex]), message, {
            related: shown.map((o) => related(o.gw, ['spec', 'servers', o.server, 'hosts', o.hostIndex], `Same host on Gateway ${idOf(o.gw)}`)),
          }),
        );
      }
    }
    return onePerSpan(out);
  },
};
