import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel } from '../../istio/gateway-api';
import { parentListeners } from '../../index/gateway-api';
import type { Finding, Fix } from '../../types';
import { capital, ownerLabel, parentIsIstio, routeParents, GATEWAY_API_RULE_READS } from './common';

/**
 * A parentRef whose `sectionName` or `port` matches no listener Istio built (none by that name or port, or one that
 * conflicts, has an unsupported protocol, or is HTTPS without tls) gets Accepted=False NoMatchingParent.
 */
export const gatewayApiParentSectionNotFound: WorkspaceRule = {
  id: 'gateway-api-parent-section-not-found',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'K8sGateway', 'ListenerSet'],
  summary: 'A route parentRef sectionName or port that matches no listener of its Gateway (NoMatchingParent).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const { route, ref, attachment: a } of routeParents(ctx.index, ctx.config.targetIstioVersion)) {
      if (!a || a === 'unknown' || !a.parent || a.accepted || a.reason !== 'NoMatchingParent' || !parentIsIstio(ctx.index, a.parent)) continue;
      const listeners = parentListeners(ctx.index, a.parent);
      const field = ref.sectionName !== undefined ? 'sectionName' : ref.port !== undefined ? 'port' : 'name';
      const named = ref.sectionName !== undefined ? listeners.find((l) => l.name === ref.sectionName) : undefined;
      const fixes: Fix[] = [];
      const related = listeners.slice(0, 5).map((l) => ({ ...spanIn(l.owner, [...l.path, 'name']), message: `${listenerLabel(l)} (port ${l.port ?? '?'}, ${l.protocol ?? '?'})` }));
      let message: string;
      if (named) message = `${capital(listenerLabel(named))} of ${ownerLabel(a.parent)} exists but Istio does not build it, so the route gets Accepted=False NoMatchingParent.`;
      else {
        message = `${ownerLabel(a.parent)} has no ${ref.sectionName !== undefined ? `listener named "${ref.sectionName}"` : ref.port !== undefined ? `listener on port ${ref.port}` : 'listener Istio builds'}${ref.sectionName !== undefined && ref.port !== undefined ? ` on port ${ref.port}` : ''} (Accepted=False NoMatchingParent: ${a.message}).`;
        const names = listeners.map((l) => l.name).filter((n): n is string => n !== undefined);
        if (ref.sectionName !== undefined && names.length === 1) fixes.push({ title: `Change to \`${names[0]}\``, edits: [{ ...spanIn(route, [...ref.path, 'sectionName']), newText: names[0] }] });
      }
      out.push(finding(this, spanIn(route, [...ref.path, field]), message, { related, fixes }));
    }
    return out;
  },
};
