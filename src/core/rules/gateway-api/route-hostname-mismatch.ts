import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel, routeHostnames } from '../../istio/gateway-api';
import type { Finding, Fix } from '../../types';
import { ownerLabel, parentIsIstio, routeParents } from './common';

/**
 * A route attaches only to listeners whose hostname intersects one of its `hostnames` (unset on either side means
 * all). When none does, istiod sets Accepted=False NoMatchingListenerHostname and the route gets no traffic.
 */
export const gatewayApiRouteHostnameMismatch: WorkspaceRule = {
  id: 'gateway-api-route-hostname-mismatch',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'K8sGateway', 'ListenerSet'],
  summary: 'No route hostname intersects the hostname of a listener it names (NoMatchingListenerHostname).',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    for (const { route, ref, attachment: a } of routeParents(ctx.index, ctx.config.targetIstioVersion)) {
      if (!a || a === 'unknown' || !a.parent || a.accepted || a.reason !== 'NoMatchingListenerHostname' || !parentIsIstio(ctx.index, a.parent)) continue;
      const hosts = routeHostnames(route);
      const listeners = a.verdicts.filter((v) => v.reason === 'NoMatchingListenerHostname').map((v) => v.listener);
      const related = listeners.slice(0, 5).map((l) => ({ ...spanIn(l.owner, [...l.path, 'hostname']), message: `${listenerLabel(l)} hostname "${l.hostname ?? '*'}"` }));
      // Certain only when one listener is named and the route has one hostname: set the route to the listener's.
      const fixes: Fix[] = [];
      const only = listeners.length === 1 ? listeners[0] : undefined;
      if (only?.hostname && !only.hostname.startsWith('*') && hosts.length === 1) {
        fixes.push({ title: `Change hostname to \`${only.hostname}\``, edits: [{ ...spanIn(route, ['spec', 'hostnames', hosts[0].index]), newText: only.hostname }] });
      }
      const quoted = hosts.map((h) => `"${h.value}"`).join(', ');
      out.push(finding(this, spanIn(route, hosts.length ? ['spec', 'hostnames'] : [...ref.path, 'name']), `Route hostname${hosts.length > 1 ? 's' : ''} ${quoted} match${hosts.length > 1 ? '' : 'es'} no listener hostname of ${ownerLabel(a.parent)} (Accepted=False NoMatchingListenerHostname: ${a.message}).`, { related, fixes }));
    }
    return out;
  },
};
