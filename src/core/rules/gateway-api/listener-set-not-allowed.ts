import { finding, type WorkspaceRule } from '../types';
import { GATEWAY_API_GROUP, isObject, spanIn } from '../../istio/resource';
import { parentRefs } from '../../istio/gateway-api';
import { allRoutes, gatewayClassOwner, listenerSetAdmission } from '../../index/gateway-api';
import type { Finding, RelatedInfo } from '../../types';
import { ownerLabel, GATEWAY_API_RULE_READS } from './common';

/**
 * A ListenerSet adds listeners to a Gateway only when the Gateway admits it through `spec.allowedListeners`
 * (`NamespaceAcceptedByAllowListeners`; `from` defaults to `None`, so a Gateway that says nothing admits no
 * ListenerSet). Otherwise istiod sets the ListenerSet Accepted=False and Programmed=False with reason NotAllowed and
 * builds none of its listeners; routes whose parentRef names the ListenerSet get no status at all. A ListenerSet whose
 * parentRef names a Gateway that does not exist gets no status either.
 */
export const gatewayApiListenerSetNotAllowed: WorkspaceRule = {
  id: 'gateway-api-listener-set-not-allowed',
  defaultSeverity: 'error',
  kinds: ['ListenerSet', 'K8sGateway', 'Namespace', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'],
  summary: 'A ListenerSet whose parent Gateway does not admit it (allowedListeners) or does not exist.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const ls of ctx.index.ofKind('ListenerSet')) {
      if (ls.doc.templated || ls.doc.errors.length || !ls.name) continue;
      const p = ls.spec.parentRef;
      if (!isObject(p) || typeof p.name !== 'string' || (p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) continue;
      const ns = typeof p.namespace === 'string' && p.namespace ? p.namespace : ls.namespace;
      const adm = listenerSetAdmission(ctx.index, ls);
      // Routes that name this ListenerSet, which get no status from istiod either.
      const routes: RelatedInfo[] = [];
      for (const r of allRoutes(ctx.index)) {
        for (const ref of parentRefs(r)) {
          if (ref.group === GATEWAY_API_GROUP && ref.kind === 'ListenerSet' && ref.name === ls.name && ref.namespace === ls.namespace) {
            routes.push({ ...spanIn(r, [...ref.path, 'name']), message: `${r.kind} ${r.namespace}/${r.name} attaches here and gets no status` });
          }
        }
      }
      if (!adm.parent) {
        const hint = typeof p.namespace === 'string' && p.namespace ? '' : ` (the parentRef has no namespace, so it means the ListenerSet's own)`;
        const elsewhere = ctx.index.ofKind('K8sGateway').filter((g) => g.name === p.name);
        const related = [...elsewhere.slice(0, 3).map((g) => ({ ...spanIn(g, ['metadata', 'name']), message: `Gateway ${g.namespace}/${g.name}` })), ...routes.slice(0, 3)];
        out.push(finding(this, spanIn(ls, ['spec', 'parentRef', 'name']), `Gateway "${p.name}" not found in namespace "${ns}"${hint}, so Istio builds none of the listeners of ListenerSet ${ls.namespace}/${ls.name} and writes no status.`, { related }));
        continue;
      }
      if (gatewayClassOwner(ctx.index, adm.parent) === 'other' || adm.allowed !== false) continue;
      const gw = adm.parent;
      const why = adm.from === 'Same' ? `admits only ListenerSets from its own namespace "${gw.namespace}"` : adm.from === 'Selector' ? `selects no ListenerSets from namespace "${ls.namespace}"` : isObject(gw.spec.allowedListeners) ? 'admits no ListenerSets (allowedListeners from: None)' : 'admits no ListenerSets (it has no allowedListeners, and from: None is the default)';
      const related: RelatedInfo[] = [{ ...spanIn(gw, isObject(gw.spec.allowedListeners) ? ['spec', 'allowedListeners'] : ['metadata', 'name']), message: `${ownerLabel(gw)} allowedListeners` }, ...routes.slice(0, 4)];
      out.push(finding(this, spanIn(ls, ['spec', 'parentRef', 'name']), `${ownerLabel(gw)} ${why}, so Istio sets ListenerSet ${ls.namespace}/${ls.name} Accepted=False NotAllowed and builds none of its listeners.`, { related }));
    }
    return out;
  },
};
