import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import type { Finding } from '../../types';

/**
 * `outboundTrafficPolicy.egressProxy` of a Sidecar is deprecated, and Istio ignores it: unknown outbound traffic goes
 * straight out (ALLOW_ANY) instead of through the proxy named there. istioctl's deprecation analyzer reports it as
 * IST0002 Deprecated ("OutboundTrafficPolicy.EgressProxy ignored"). A workspace rule, because meshtls reads Sidecars
 * only for this field (they have no schema here), and the resource rules run on the kinds it lints in full.
 */
export const sidecarEgressProxyDeprecated: WorkspaceRule = {
  id: 'sidecar-egress-proxy-deprecated',
  istioCode: 'IST0002',
  defaultSeverity: 'warning',
  kinds: ['Sidecar'],
  summary: 'A Sidecar outboundTrafficPolicy.egressProxy, deprecated and ignored by Istio.',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    for (const sc of ctx.index.ofKind('Sidecar')) {
      if (sc.doc.templated) continue;
      const policy = sc.spec.outboundTrafficPolicy;
      if (!isObject(policy) || policy.egressProxy === undefined || policy.egressProxy === null) continue;
      const host = isObject(policy.egressProxy) && typeof policy.egressProxy.host === 'string' ? ` (to "${policy.egressProxy.host}")` : '';
      out.push(finding(this, spanIn(sc, ['spec', 'outboundTrafficPolicy', 'egressProxy'], 'key'), `Sidecar ${sc.namespace}/${sc.name} sets the deprecated outboundTrafficPolicy.egressProxy${host}, which Istio ignores.`));
    }
    return out;
  },
};
