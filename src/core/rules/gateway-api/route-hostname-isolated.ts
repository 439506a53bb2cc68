import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { hostnamesIntersect, listenerLabel, routeHostnames, type Listener } from '../../istio/gateway-api';
import { listenerNotBuilt, parentConflicts, parentListeners } from '../../index/gateway-api';
import type { Finding } from '../../types';
import { ownerLabel, parentIsIstio, routeParents, GATEWAY_API_RULE_READS } from './common';

/** Istio's `host.Name.SubsetOf`: every name `a` matches is matched by `b` (`*.b.a.com` ⊆ `*.a.com`, `x.a.com` ⊆ `*.a.com`). */
function subsetOf(a: string, b: string): boolean {
  if (a.startsWith('*')) return b.startsWith('*') && a.slice(1).endsWith(b.slice(1));
  if (b.startsWith('*')) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * Hostname isolation between listeners (Gateway API v1.1), as istiod applies it to each hostname of a route on each listener it is
 * attached to (`hostnameAllowedByIsolation`): a route on a wildcard or hostless listener does not get a hostname that
 * another listener of the same parent, on the same port and protocol, with a hostname at least as long, covers.
 * Returns the most specific such listener, or undefined when the hostname stays on `l`.
 */
function isolatedBy(host: string, l: Listener, siblings: readonly Listener[]): Listener | undefined {
  const ours = l.hostname ?? '';
  if (ours !== '' && !ours.startsWith('*')) return undefined;
  // Of the listeners that take it, the one with the longest hostname is where the requests go.
  let taker: Listener | undefined;
  for (const other of siblings) {
    if (other === l || other.port !== l.port || other.protocol !== l.protocol) continue;
    const theirs = other.hostname ?? '';
    if (theirs === ours || ours.length > theirs.length) continue;
    if (subsetOf(host, theirs) && (!taker || theirs.length > (taker.hostname ?? '').length)) taker = other;
  }
  return taker;
}

/**
 * A route hostname that istiod leaves out on every listener of a parent the route is attached to, because a more
 * specific listener on the same port takes it (hostname isolation) and the route is not attached to that listener.
 * istiod sets no condition for it ("TODO: standardize a status message"): the route is Accepted, and requests for
 * that hostname are answered by the other listener's routes, or 404.
 */
export const gatewayApiRouteHostnameIsolated: WorkspaceRule = {
  id: 'gateway-api-route-hostname-isolated',
  defaultSeverity: 'warning',
  kinds: ['HTTPRoute', 'GRPCRoute', 'K8sGateway', 'ListenerSet'],
  summary: 'A route hostname is taken by a more specific listener the route is not attached to (hostname isolation; Istio is silent).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const target = ctx.config.targetIstioVersion;
    // The accepted listeners of each (route, parent), over all the route's parentRefs to that parent.
    const attached = new Map<Resource, Map<Resource, Set<Listener>>>();
    for (const { route, attachment: a } of routeParents(ctx.index, target)) {
      if (route.kind !== 'HTTPRoute' && route.kind !== 'GRPCRoute') continue;
      if (!a || a === 'unknown' || !a.parent || !a.accepted || !parentIsIstio(ctx.index, a.parent)) continue;
      let byParent = attached.get(route);
      if (!byParent) attached.set(route, (byParent = new Map()));
      let set = byParent.get(a.parent);
      if (!set) byParent.set(a.parent, (set = new Set()));
      for (const v of a.verdicts) if (v.accepted) set.add(v.listener);
    }
    const out: Finding[] = [];
    const builtCache = new Map<Resource, Listener[]>();
    const built = (parent: Resource): Listener[] => {
      let list = builtCache.get(parent);
      if (!list) {
        const listeners = parentListeners(ctx.index, parent);
        const conflicts = parentConflicts(ctx.index, parent, listeners);
        builtCache.set(parent, (list = listeners.filter((l) => !listenerNotBuilt(l, conflicts, target))));
      }
      return list;
    };
    for (const [route, byParent] of attached) {
      for (const [parent, accepted] of byParent) {
        const siblings = built(parent);
        // The attached listener objects come from the same parent; match them to the built list by position.
        const on = siblings.filter((s) => [...accepted].some((l) => l.owner === s.owner && l.index === s.index));
        for (const h of routeHostnames(route)) {
          let taker: { by: Listener; on: Listener } | undefined;
          let kept = false;
          for (const l of on) {
            if (!hostnamesIntersect(h.value, l.hostname ?? '*')) continue; // not a listener of this hostname at all
            const by = isolatedBy(h.value, l, siblings);
            if (!by) {
              kept = true;
              break;
            }
            taker ??= { by, on: l };
          }
          if (kept || !taker) continue;
          const { by, on: l } = taker;
          out.push(
            finding(
              this,
              spanIn(route, ['spec', 'hostnames', h.index]),
              `Hostname "${h.value}" never reaches this route through ${ownerLabel(parent)}: ${listenerLabel(by)} on port ${by.port} serves it more specifically (hostname isolation) and the route is not attached to it; Istio sets no condition.`,
              {
                related: [
                  { ...spanIn(by.owner, [...by.path, by.hostname !== undefined ? 'hostname' : 'name']), message: `${listenerLabel(by)} hostname "${by.hostname ?? '*'}" takes "${h.value}"` },
                  { ...spanIn(l.owner, [...l.path, 'name']), message: `The route is attached to ${listenerLabel(l)} (hostname "${l.hostname ?? '*'}")` },
                ],
              },
            ),
          );
        }
      }
    }
    return out;
  },
};
