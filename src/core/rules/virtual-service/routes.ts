// Shared reads for the VirtualService rules. Every accessor tolerates wrong types (they are schema findings) and
// returns what Istio's webhook would look at.
import type { Json, JsonObject, Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import { asObject } from '../../istio/validation';

export const ROUTE_KINDS = ['http', 'tcp', 'tls'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** The string entries of spec.gateways. */
export function gatewayRefs(vs: Resource): string[] {
  const g = vs.spec.gateways;
  return Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : [];
}

/** A VirtualService applies to sidecars ("mesh") when it lists no gateways or lists `mesh`. */
export function appliesToMesh(vs: Resource): boolean {
  const g = gatewayRefs(vs);
  return g.length === 0 || g.includes('mesh');
}

export function hostsOf(vs: Resource): string[] {
  const h = vs.spec.hosts;
  return Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
}

/** A delegate VirtualService has no hosts; a root route points at it with `delegate`. */
export function isDelegate(vs: Resource): boolean {
  const h = vs.spec.hosts;
  return h === undefined || h === null || (Array.isArray(h) && h.length === 0);
}

export interface RouteAt {
  kind: RouteKind;
  index: number;
  /** The route object; undefined for a null or non-object entry. */
  route: JsonObject | undefined;
  raw: Json;
  path: PathSegment[];
  /** How messages name the route: `http route "name"`, else `http route #2`. */
  label: string;
}

export function routesOf(vs: Resource, kind: RouteKind): RouteAt[] {
  const list = vs.spec[kind];
  if (!Array.isArray(list)) return [];
  return list.map((raw, index) => {
    const route = asObject(raw);
    const name = route && typeof route.name === 'string' && route.name !== '' ? `"${route.name}"` : undefined;
    return { kind, index, route, raw, path: ['spec', kind, index], label: name ? `${kind} route ${name}` : `${kind} route #${index}` };
  });
}

/** Every http/tls/tcp route of a VirtualService that has a `route` list of destinations, with that list. */
export function* routesWithDestinations(vs: Resource): Generator<{ r: RouteAt; dests: unknown[] }> {
  for (const kind of ROUTE_KINDS) {
    for (const r of routesOf(vs, kind)) {
      const dests = r.route?.route;
      if (Array.isArray(dests)) yield { r, dests };
    }
  }
}

export interface MatchAt {
  index: number;
  match: JsonObject | undefined;
  raw: Json;
  path: PathSegment[];
}

export function matchesOf(r: RouteAt): MatchAt[] {
  const m = r.route?.match;
  if (!Array.isArray(m)) return [];
  return m.map((raw, index) => ({ index, raw, match: asObject(raw), path: [...r.path, 'match', index] }));
}

/**
 * Istio's host.Name.SubsetOf: a wildcard (`*…`) only ever fits inside another wildcard whose suffix it ends with; a
 * plain name fits a wildcard by suffix or an identical name.
 */
export function hostSubsetOf(n: string, o: string): boolean {
  const nWild = n.startsWith('*');
  const oWild = o.startsWith('*');
  if (nWild) return oWild && n.slice(1).endsWith(o.slice(1));
  if (oWild) return n.endsWith(o.slice(1));
  return n === o;
}

/** Istio's host.Name.Matches: the two hosts have some name in common. */
export function hostsOverlap(a: string, b: string): boolean {
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) return a.length > b.length ? a.slice(1).endsWith(b.slice(1)) : b.slice(1).endsWith(a.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}
