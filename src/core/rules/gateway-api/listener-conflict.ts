import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel, listenersOf, type Listener } from '../../istio/gateway-api';
import { listenerConflicts, listenerSetParent } from '../../index/gateway-api';
import type { Finding } from '../../types';
import { capital, istioGateways, istioListenerSets, ownerLabel, GATEWAY_API_RULE_READS } from './common';

/**
 * istiod walks a Gateway's listeners (then those of attached ListenerSets) in order; one that is not distinct from an
 * earlier winner on the same port loses (`gatewaycommon/listener_conflict.go`): Conflicted=True, Accepted=False,
 * Programmed=False with ProtocolConflict or HostnameConflict, and it is not built. Duplicate names and duplicate
 * port/protocol/hostname combinations within one Gateway are rejected by the API server before that (the CRD's CEL
 * rules, reported by schema-cel-violation), so this rule reports what passes it.
 */
export const gatewayApiListenerConflict: WorkspaceRule = {
  id: 'gateway-api-listener-conflict',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'Two Gateway API listeners on one port that Istio cannot tell apart (HostnameConflict, ProtocolConflict).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    const setsByParent = new Map<string, Listener[]>();
    for (const ls of istioListenerSets(ctx.index)) {
      const p = listenerSetParent(ctx.index, ls);
      if (!p) continue;
      const key = `${p.namespace}/${p.name}`;
      setsByParent.set(key, [...(setsByParent.get(key) ?? []), ...listenersOf(ls)]);
    }
    for (const gw of istioGateways(ctx.index)) {
      const own = listenersOf(gw);
      const all = [...own, ...(setsByParent.get(`${gw.namespace}/${gw.name}`) ?? [])];
      for (const [l, c] of listenerConflicts(all)) {
        const w = c.winner;
        // An exact port/protocol/hostname repeat within one Gateway is the API server's to reject (CEL rule).
        if (l.owner === w.owner && l.protocol === w.protocol && (l.hostname ?? '') === (w.hostname ?? '')) continue;
        const message = `${capital(listenerLabel(l))} conflicts with ${listenerLabel(w)} on port ${l.port}${l.hostname ? ` for hostname "${l.hostname}"` : ''}, so Istio does not build it (Conflicted=True, ${c.reason}).`;
        out.push(finding(this, spanIn(l.owner, [...l.path, l.hostname !== undefined ? 'hostname' : 'port']), message, {
          related: [{ ...spanIn(w.owner, [...w.path, 'port']), message: `${listenerLabel(w)} of ${ownerLabel(w.owner)} wins` }],
        }));
      }
    }
    return out;
  },
};
