// Istio's VS-U1 analysis, shared by virtual-service-rule-unreachable (IST0130) and virtual-service-match-ineffective
// (IST0131): later routes shadowed by a catch-all route, and matches already made by an earlier route.
import type { Resource } from '../../istio/resource';
import { asObject, canonicalJson } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';
import { matchesOf, ROUTE_KINDS, routesOf, type RouteAt } from './routes';

export interface Unreachable {
  route: RouteAt;
  reason: 'after-catch-all' | 'all-matches-used';
  /** The earlier route that makes this one unreachable (the catch-all), when there is a single one. */
  by?: RouteAt;
}

export interface Ineffective {
  route: RouteAt;
  matchIndex: number;
  matchPath: PathSegment[];
  by: RouteAt;
  byMatchPath: PathSegment[];
  /** Set when the earlier match is a shorter uri prefix rather than an identical match. */
  prefix?: { earlier: string; later: string };
}

export interface RouteAnalysis {
  unreachable: Unreachable[];
  ineffective: Ineffective[];
}

/**
 * Two rules read the same analysis, so it is kept per resource value; the value object is replaced whenever its
 * document is re-parsed, which makes a stale entry impossible and lets the garbage collector drop old ones.
 */
const analyses = new WeakMap<object, RouteAnalysis>();

export function analyzeRoutes(vs: Resource): RouteAnalysis {
  let a = analyses.get(vs.value);
  if (!a) analyses.set(vs.value, (a = analyze(vs)));
  return a;
}

function analyze(vs: Resource): RouteAnalysis {
  const unreachable: Unreachable[] = [];
  const ineffective: Ineffective[] = [];
  for (const kind of ROUTE_KINDS) {
    const routes = routesOf(vs, kind);
    const seen = new Map<string, { route: RouteAt; path: PathSegment[] }>();
    const prefixes: { prefix: string; rest: string; restAsGet: string; route: RouteAt; path: PathSegment[] }[] = [];
    let catchAll: RouteAt | undefined;
    for (const r of routes) {
      if (!r.route) continue;
      const matches = matchesOf(r);
      if (matches.length === 0) {
        if (catchAll) unreachable.push({ route: r, reason: 'after-catch-all', by: catchAll });
        catchAll = catchAll ?? r;
        continue;
      }
      if (catchAll) unreachable.push({ route: r, reason: 'after-catch-all', by: catchAll });
      let duplicates = 0;
      for (const m of matches) {
        if (!m.match) continue;
        // Match names are labels, not conditions, so they do not make two matches different.
        const key = canonicalJson(m.raw, 'name');
        const earlier = seen.get(key);
        if (earlier) {
          duplicates++;
          ineffective.push({ route: r, matchIndex: m.index, matchPath: m.path, by: earlier.route, byMatchPath: earlier.path });
          continue;
        }
        seen.set(key, { route: r, path: m.path });
        if (kind !== 'http') continue;
        const prefix = asObject(m.match.uri)?.prefix;
        if (typeof prefix !== 'string' || Object.keys(asObject(m.match.uri) ?? {}).length !== 1) continue;
        // Istio's prefix check, earlier matches of the same route included: the other conditions must be identical,
        // where an earlier match without a method counts as GET (Istio's reading). Only the covering side gets that
        // default, so a later method-less match, which also takes POSTs, is never called covered by a GET.
        const rest = canonicalJson({ ...m.match, uri: null, name: null });
        const restAsGet = m.match.method === undefined ? canonicalJson({ ...m.match, uri: null, name: null, method: { exact: 'GET' } }) : rest;
        const cover = prefixes.find((p) => (p.rest === rest || p.restAsGet === rest) && prefix.startsWith(p.prefix));
        if (cover) ineffective.push({ route: r, matchIndex: m.index, matchPath: m.path, by: cover.route, byMatchPath: cover.path, prefix: { earlier: cover.prefix, later: prefix } });
        prefixes.push({ prefix, rest, restAsGet, route: r, path: m.path });
      }
      if (duplicates === matches.length && !catchAll) unreachable.push({ route: r, reason: 'all-matches-used' });
    }
  }
  return { unreachable, ineffective };
}
