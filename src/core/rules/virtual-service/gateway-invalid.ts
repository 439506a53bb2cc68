import { finding, type ResourceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { isDns1123Label, wildcardDomainProblem } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { matchesOf, ROUTE_KINDS, routesOf } from './routes';

/** Every gateways list of a VirtualService: spec.gateways and each route match's gateways. */
export function gatewayLists(vs: Resource): { list: unknown[]; path: PathSegment[] }[] {
  const out: { list: unknown[]; path: PathSegment[] }[] = [];
  if (Array.isArray(vs.spec.gateways)) out.push({ list: vs.spec.gateways, path: ['spec', 'gateways'] });
  for (const kind of ROUTE_KINDS) {
    for (const r of routesOf(vs, kind)) {
      for (const m of matchesOf(r)) {
        if (Array.isArray(m.match?.gateways)) out.push({ list: m.match.gateways, path: [...m.path, 'gateways'] });
      }
    }
  }
  return out;
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
    for (const { list, path } of gatewayLists(vs)) {
      for (let i = 0; i < list.length; i++) {
        const g = list[i];
        if (typeof g !== 'string') continue;
        const problem = gatewayRefProblem(g);
        if (problem) out.push(finding(this, spanIn(vs, [...path, i]), `Gateway reference "${g}" is invalid: ${problem}.`));
        // Istio's webhook stops checking a list after its first entry without "/"; mirror that verdict.
        if (!g.includes('/')) break;
      }
    }
    return out;
  },
};
