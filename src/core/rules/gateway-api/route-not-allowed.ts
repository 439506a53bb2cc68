import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel } from '../../istio/gateway-api';
import type { Finding } from '../../types';
import { ownerLabel, parentIsIstio, routeParents, GATEWAY_API_RULE_READS } from './common';

/**
 * `allowedRoutes` decides who may attach: by namespace (`Same`, the default, admits only the Gateway's own; `All`;
 * `Selector` over namespace labels) and by kind. A route turned away gets Accepted=False NotAllowedByListeners.
 */
export const gatewayApiRouteNotAllowed: WorkspaceRule = {
  id: 'gateway-api-route-not-allowed',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'K8sGateway', 'ListenerSet', 'Namespace'],
  summary: "A route whose namespace or kind the listener's allowedRoutes does not admit (NotAllowedByListeners).",
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const { route, ref, attachment: a } of routeParents(ctx.index, ctx.config.targetIstioVersion)) {
      if (!a || a === 'unknown' || !a.parent || a.accepted || a.reason !== 'NotAllowedByListeners' || !parentIsIstio(ctx.index, a.parent)) continue;
      const vs = a.verdicts.filter((v) => v.reason === 'NotAllowedByListeners');
      const byKind = vs.every((v) => v.kind);
      const related = vs.slice(0, 5).map((v) => ({ ...spanIn(v.listener.owner, v.listener.allowedRoutes ? [...v.listener.path, 'allowedRoutes'] : [...v.listener.path, 'name']), message: `${listenerLabel(v.listener)} allowedRoutes` }));
      const message = byKind
        ? `${ownerLabel(a.parent)} does not admit ${route.kind}s on the listeners this parentRef names (Accepted=False NotAllowedByListeners: ${a.message}).`
        : `${ownerLabel(a.parent)} does not admit routes from namespace "${route.namespace}" (Accepted=False NotAllowedByListeners: ${a.message}).`;
      out.push(finding(this, spanIn(route, [...ref.path, 'name']), message, { related }));
    }
    return out;
  },
};
