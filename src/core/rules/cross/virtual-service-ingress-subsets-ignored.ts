import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { crossModel, idOf, othersIn, quotedNames, related, reportable, stringList, onePerSpan } from './model';

interface SubsetRoute {
  vs: Resource;
  path: PathSegment[];
}

/**
 * Subset routing (canaries, version pinning) lives in the VirtualService for a service's host, which only sidecars
 * apply. A gateway-bound VirtualService that routes to that host without a subset sends ingress traffic to all
 * versions, bypassing the split people expect (istioctl analyze: IST0140 IngressRouteRulesNotAffected).
 */
export const virtualServiceIngressSubsetsIgnored: WorkspaceRule = {
  id: 'virtual-service-ingress-subsets-ignored',
  istioCode: 'IST0140',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  reads: ['VirtualService'],
  summary: 'Ingress routes without a subset bypass the subset routing of the service host.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    // Host string → http destinations with a subset, in VirtualServices that list the host in their own hosts.
    const subsetRoutes = new Map<string, SubsetRoute[]>();
    for (const vs of model.virtualServices) {
      const own = new Set(stringList(vs.spec.hosts).map((h) => h.value));
      forEachHttpDestination(vs, (host, subset, path) => {
        if (!subset || !own.has(host)) return;
        pushTo(subsetRoutes, host, { vs, path });
      });
    }
    const out: Finding[] = [];
    if (subsetRoutes.size === 0) return out;
    for (const vs of model.virtualServices) {
      // Istio checks any VirtualService with gateways; one bound only to `mesh` is a sidecar route, not ingress.
      if (!reportable(vs) || !stringList(vs.spec.gateways).some((g) => g.value !== 'mesh')) continue;
      forEachHttpDestination(vs, (host, subset, path) => {
        if (subset) return;
        // Host strings are compared as written, like Istio's analyzer.
        const list = subsetRoutes.get(host);
        if (!list) return;
        const ids = new Set(list.map((o) => idOf(o.vs)));
        // The VirtualService's own subset routes for the host are not "another" routing table.
        const owners = ids.has(idOf(vs)) ? ids.size : ids.size + 1;
        if (owners < 2) return;
        const { shown, count } = othersIn(list, (o) => idOf(o.vs), idOf(vs), owners);
        out.push(
          finding(this, spanIn(vs, [...path, 'host']), `Destination "${host}" has no subset, so the subset routes of VirtualService${count > 1 ? 's' : ''} ${quotedNames(shown.map((o) => idOf(o.vs)), count)} do not apply to gateway traffic.`, {
            related: shown.map((o) => related(o.vs, [...o.path, 'subset'], `Subset route in VirtualService ${idOf(o.vs)}`)),
          }),
        );
      });
    }
    return onePerSpan(out);
  },
};

function forEachHttpDestination(vs: Resource, fn: (host: string, subset: string | undefined, path: PathSegment[]) => void): void {
  const http = vs.spec.http;
  if (!Array.isArray(http)) return;
  http.forEach((r, i) => {
    if (!isObject(r) || !Array.isArray(r.route)) return;
    r.route.forEach((w, j) => {
      if (!isObject(w) || !isObject(w.destination) || typeof w.destination.host !== 'string') return;
      const subset = typeof w.destination.subset === 'string' && w.destination.subset !== '' ? w.destination.subset : undefined;
      fn(w.destination.host, subset, ['spec', 'http', i, 'route', j, 'destination']);
    });
  });
}
