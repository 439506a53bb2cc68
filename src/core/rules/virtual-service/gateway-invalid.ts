import { finding, type ResourceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { isDns1123Label, wildcardDomainProblem } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { matchesOf, ROUTE_KINDS, routesOf } from './routes';

/** Every gateways list of a VirtualService: spec.gateways and each route match's gateways. */
/**
 * The gateway references the webhook reads: `spec.gateways` and every `match[].gateways`, each list up to and including
 * its first entry without "/" (Istio's validation stops checking a list there, so meshtls mirrors that verdict).
 */
export function* webhookGatewayRefs(vs: Resource): Generator<{ ref: string; path: PathSegment[] }> {
  const lists: { list: unknown[]; path: PathSegment[] }[] = [];
  if (Array.isArray(vs.spec.gateways)) lists.push({ list: vs.spec.gateways, path: ['spec', 'gateways'] });
  for (const kind of ROUTE_KINDS) {
    for (const r of routesOf(vs, kind)) {
      for (const m of matchesOf(r)) {
        if (Array.isArray(m.match?.gateways)) lists.push({ list: m.match.gateways, path: [...m.path, 'gateways'] });
      }
    }
  }
  for (const { list, path } of lists) {
    for (let i = 0; i < list.length; i++) {
      const ref = list[i];
      if (typeof ref !== 'string') continue;
      yield { ref, path: [...path, i] };
      if (!ref.includes('/')) break;
    }
  }
}

/** Why a gateway reference is rejected by the webhook (VS-03, VS-04), or undefined. */
export function gatewayRefProblem(g: string): string | undefined {
  const slash = g.indexOf('/');
  if (slash < 0) {
    const p = g === 'mesh' ? undefined : wildcardDomainProblem(g);
    return p && `it is not a valid name (${p})`;
  }
  const ns = g.slice(0, slash);
  const name = g.slice(slash + 1);
  if (ns === '' || name === '') return 'the namespace and the gateway name must both be non-empty';
  // "./name" works in istiod but the webhook refuses it, and the webhook decides whether `kubectl apply` succeeds.
  if (!isDns1123Label(ns)) return `"${ns}" is not a valid namespace name`;
  if (!isDns1123Label(name)) return `"${name}" is not a valid Gateway name`;
  return undefined;
}

/** A gateways entry must be `mesh`, `<name>` or `<namespace>/<name>` with valid names (VS-03, VS-04). */
export const virtualServiceGatewayInvalid: ResourceRule = {
  id: 'virtual-service-gateway-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Gateway references must be "mesh", "<name>" or "<namespace>/<name>".',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const { ref, path } of webhookGatewayRefs(vs)) {
      const problem = gatewayRefProblem(ref);
      if (problem) out.push(finding(this, spanIn(vs, path), `Gateway reference "${ref}" is invalid: ${problem}.`));
    }
    return out;
  },
};
