import { GATEWAY_API_RULE_READS } from './common';
import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayClassOwner, ISTIO_BUILTIN_CLASSES } from '../../index/gateway-api';
import { editDistance } from '../cross/model';
import type { Finding, Fix } from '../../types';

/**
 * istiod serves a Gateway only when its `gatewayClassName` is one of Istio's classes (`istio`, `istio-remote`,
 * `istio-waypoint`, `istio-east-west`, or a GatewayClass naming `istio.io/gateway-controller`); any other Gateway is
 * ignored without any status. A near miss of `istio` is almost always a typo.
 */
export const gatewayApiGatewayClassUnknown: WorkspaceRule = {
  id: 'gateway-api-gateway-class-unknown',
  defaultSeverity: 'warning',
  kinds: ['K8sGateway', 'GatewayClass'],
  summary: 'A Gateway whose gatewayClassName is neither an Istio class nor a GatewayClass in the workspace.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const gw of ctx.index.ofKind('K8sGateway')) {
      if (gw.doc.templated || gw.doc.errors.length || gatewayClassOwner(ctx.index, gw) !== 'unknown') continue;
      const name = typeof gw.spec.gatewayClassName === 'string' ? gw.spec.gatewayClassName : undefined;
      if (name === undefined) continue; // required by the CRD; the schema check reports it
      const near = ISTIO_BUILTIN_CLASSES.find((c) => editDistance(name.toLowerCase(), c, 2) <= 2);
      const fixes: Fix[] = near ? [{ title: `Change to \`${near}\``, edits: [{ ...spanIn(gw, ['spec', 'gatewayClassName']), newText: near }], preferred: true }] : [];
      out.push(finding(this, spanIn(gw, ['spec', 'gatewayClassName']), `Gateway class "${name}" is not an Istio class and no GatewayClass in the workspace defines it, so Istio ignores Gateway ${gw.namespace}/${gw.name} without any status${near ? ` (did you mean "${near}"?)` : ''}.`, { fixes }));
    }
    return out;
  },
};
