import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isDns1123Label } from '../../istio/validation';
import { replaceScalar } from '../../yaml/edits';
import type { Finding, Fix } from '../../types';
import { gatewayRefProblem, webhookGatewayRefs } from './gateway-invalid';

/**
 * `name.namespace` is the legacy way to name a Gateway in another namespace. Istio accepts it with a warning (VS-04),
 * but its analyzers do not resolve it; `namespace/name` is unambiguous.
 */
export const virtualServiceGatewayLegacyFormat: ResourceRule = {
  id: 'virtual-service-gateway-legacy-format',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  summary: 'Write gateway references as "<namespace>/<name>" instead of the legacy "<name>.<namespace>".',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const { ref: g, path } of webhookGatewayRefs(vs)) {
      if (g.includes('/') || !g.includes('.') || gatewayRefProblem(g)) continue;
      // istiod reads the second label as the namespace, also in `name.ns.svc.cluster.local`.
      const [name, ns] = g.split('.');
      // The rewrite is only certain for exactly "<name>.<namespace>", not for longer DNS forms.
      const certain = isDns1123Label(name) && isDns1123Label(ns) && g === `${name}.${ns}`;
      const edit = certain ? replaceScalar(vs.doc, [...vs.path, ...path], `${ns}/${name}`) : undefined;
      const fixes: Fix[] = edit ? [{ title: `Change to "${ns}/${name}"`, edits: [edit], preferred: true }] : [];
      out.push(finding(this, spanIn(vs, path), `Gateway reference "${g}" uses the legacy name.namespace form; write "${ns}/${name}".`, { fixes }));
    }
    return out;
  },
};
