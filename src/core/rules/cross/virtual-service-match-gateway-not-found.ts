import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isInternalGatewayRef, parseGatewayRef } from '../../istio/references';
import { asObject, isDns1123Label } from '../../istio/validation';
import type { Finding } from '../../types';
import { crossModel, reportable } from './model';
import { gatewayApiGateways } from './gateway-api';

const ROUTE_KINDS = ['http', 'tcp', 'tls'] as const;

/**
 * A `match[].gateways` entry restricts a route to some of the VirtualService's gateways. Naming a Gateway that does
 * not exist makes the match never true, so the route is silently dead (Kiali KIA1102, the same check as
 * virtual-service-gateway-not-found for spec.gateways).
 */
export const virtualServiceMatchGatewayNotFound: WorkspaceRule = {
  id: 'virtual-service-match-gateway-not-found',
  kialiCode: 'KIA1102',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Gateway'],
  summary: 'A match gateways entry must name a Gateway in the workspace.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx.index);
    const out: Finding[] = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      for (const kind of ROUTE_KINDS) {
        const routes = vs.spec[kind];
        if (!Array.isArray(routes)) continue;
        routes.forEach((route, ri) => {
          const matches = asObject(route)?.match;
          if (!Array.isArray(matches)) return;
          matches.forEach((m, mi) => {
            const gws = asObject(m)?.gateways;
            if (!Array.isArray(gws)) return;
            gws.forEach((g, gi) => {
              if (typeof g !== 'string' || isInternalGatewayRef(g)) return;
              const ref = parseGatewayRef(g, vs.namespace);
              // A malformed name is virtual-service-gateway-invalid's (the webhook's) finding.
              if (ref === 'mesh' || ref === undefined || !isDns1123Label(ref.name)) return;
              const key = `${ref.namespace}/${ref.name}`;
              if (model.gatewayByKey.has(key) || gatewayApiGateways(ctx.index).has(key)) return;
              out.push(finding(this, spanIn(vs, ['spec', kind, ri, 'match', mi, 'gateways', gi]), `Gateway "${ref.name}" not found in namespace "${ref.namespace}".`));
            });
          });
        });
      }
    }
    return out;
  },
};
