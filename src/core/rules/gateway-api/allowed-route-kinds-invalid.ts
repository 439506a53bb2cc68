import { finding, type WorkspaceRule } from '../types';
import { GATEWAY_API_GROUP, spanIn } from '../../istio/resource';
import { allowedRouteKinds, listenerLabel, supportedRouteKinds } from '../../istio/gateway-api';
import { isIstioProtocol } from '../../index/gateway-api';
import type { Finding } from '../../types';
import { istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * `allowedRoutes.kinds` may only name kinds the listener's protocol carries (HTTP/HTTPS: HTTPRoute, GRPCRoute; TLS:
 * TLSRoute, plus TCPRoute when terminating; TCP: TCPRoute). istiod sets ResolvedRefs=False InvalidRouteKinds and
 * keeps only the supported ones, but still serves the listener, so routes of the other kinds never attach.
 */
export const gatewayApiAllowedRouteKindsInvalid: WorkspaceRule = {
  id: 'gateway-api-allowed-route-kinds-invalid',
  defaultSeverity: 'warning',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: "allowedRoutes.kinds names a route kind the listener's protocol does not carry.",
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      if (!isIstioProtocol(l.protocol)) continue;
      const supported = supportedRouteKinds(l);
      for (const k of allowedRouteKinds(l) ?? []) {
        if (k.group === GATEWAY_API_GROUP && supported.includes(k.kind)) continue;
        out.push(finding(this, spanIn(l.owner, [...l.path, 'allowedRoutes', 'kinds', k.index, 'kind']), `Route kind ${k.kind}${k.group !== GATEWAY_API_GROUP ? ` of group "${k.group}"` : ''} cannot attach to ${l.protocol} ${listenerLabel(l)} (ResolvedRefs=False, InvalidRouteKinds); it supports ${supported.join(', ')}.`));
      }
    }
    return out;
  },
};
