import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Json, type Resource } from '../../istio/resource';
import type { Placed } from '../../index/placement';
import type { PathSegment } from '../../yaml/documents';
import type { Finding, Fix } from '../../types';
import { crossModel, editDistance, related, reportable, yamlScalar, onePerSpan } from './model';

const CLUSTER_SUFFIX = '.svc.cluster.local';

interface SubsetDef {
  dr: Placed;
  index: number;
  name: string;
}

/**
 * A route to a subset that no DestinationRule defines has no endpoints: Envoy answers 503 NR/UH for it
 * (istioctl analyze: IST0101 "Referenced host+subset in destinationrule not found").
 */
export const virtualServiceSubsetNotFound: WorkspaceRule = {
  id: 'virtual-service-subset-not-found',
  istioCode: 'IST0101',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'DestinationRule'],
  reads: ['VirtualService', 'DestinationRule'],
  summary: 'A route destination subset must be defined by a DestinationRule for that host.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const { subsets, byService } = subsetsOf(model.destinationRules);
    const lenient = (host: string, vs: Placed): SubsetDef[] => {
      const svc = serviceOf(hostKey(host, vs.namespace));
      if (!svc) return [];
      const vsGuess = !vs.nsKnown && !host.includes('.');
      return (byService.get(svc.name) ?? []).filter((n) => n.ns === svc.ns || vsGuess || (!n.def.dr.nsKnown && !String(n.def.dr.spec.host).includes('.'))).map((n) => n.def);
    };
    const out: Finding[] = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      for (const d of destinations(vs)) {
        const defs = subsets.get(hostKey(d.host, vs.namespace)) ?? [];
        if (defs.some((s) => s.name === d.subset) || lenient(d.host, vs).some((s) => s.name === d.subset)) continue;
        const span = spanIn(vs, [...d.path, 'subset']);
        const limit = Math.max(1, Math.min(3, Math.floor(d.subset.length / 3)));
        const near = [...new Set(defs.filter((s) => editDistance(d.subset, s.name, limit) <= limit).map((s) => s.name))];
        const fixes: Fix[] = near.length === 1 ? [{ title: `Change to \`${near[0]}\``, edits: [{ ...span, newText: yamlScalar(near[0]) }], preferred: true }] : [];
        const drs = [...new Set(defs.map((s) => s.dr))];
        out.push(
          finding(this, span, `Subset "${d.subset}" of host "${d.host}" is not defined in any DestinationRule.`, {
            related: drs.slice(0, 5).map((dr) => related(dr, ['spec', 'subsets'], `Subsets of DestinationRule ${dr.namespace}/${dr.name}: ${defs.filter((s) => s.dr === dr).map((s) => s.name).join(', ')}`)),
            fixes,
          }),
        );
      }
    }
    return onePerSpan(out);
  },
};

interface Subsets {
  /** host key → subsets defined for it, across every DestinationRule (Istio does not check exportTo here). */
  subsets: Map<string, SubsetDef[]>;
  /**
   * Cluster service name → subsets of DestinationRules whose host is that service in some namespace, for the sides
   * whose namespace nothing in the workspace says (a short host then names the service wherever it lands).
   */
  byService: Map<string, { def: SubsetDef; ns: string }[]>;
}

/** Built once per list of DestinationRules: the model keeps the list while no DestinationRule changes. */
const subsetsCache = new WeakMap<readonly Placed[], Subsets>();
function subsetsOf(drs: readonly Placed[]): Subsets {
  const hit = subsetsCache.get(drs);
  if (hit) return hit;
  const subsets = new Map<string, SubsetDef[]>();
  const byService = new Map<string, { def: SubsetDef; ns: string }[]>();
  for (const dr of drs) {
    if (typeof dr.spec.host !== 'string' || !Array.isArray(dr.spec.subsets)) continue;
    const key = hostKey(dr.spec.host, dr.namespace);
    const svc = serviceOf(key);
    dr.spec.subsets.forEach((s, index) => {
      if (!isObject(s) || typeof s.name !== 'string') return;
      let list = subsets.get(key);
      if (!list) subsets.set(key, (list = []));
      const def = { dr, index, name: s.name };
      list.push(def);
      if (!svc) return;
      pushTo(byService, svc.name, { def, ns: svc.ns });
    });
  }
  const value = { subsets, byService };
  subsetsCache.set(drs, value);
  return value;
}

/** Short names belong to the given namespace; `name.ns.svc.cluster.local` names its own; the rest stay as written. */
function hostKey(host: string, ns: string): string {
  if (!host.includes('.')) return `${host}.${ns}${CLUSTER_SUFFIX}`;
  return host;
}

/** `name.ns.svc.cluster.local` → its service name and namespace. */
function serviceOf(key: string): { name: string; ns: string } | undefined {
  if (!key.endsWith(CLUSTER_SUFFIX)) return undefined;
  const parts = key.slice(0, -CLUSTER_SUFFIX.length).split('.');
  return parts.length === 2 ? { name: parts[0], ns: parts[1] } : undefined;
}

interface Destination {
  host: string;
  subset: string;
  path: PathSegment[];
}

/** Every destination with a subset: http/tcp/tls routes, http mirror and mirrors; once per parsed spec. */
const destinationsCache = new WeakMap<object, Destination[]>();
function destinations(vs: Resource): Destination[] {
  let hit = destinationsCache.get(vs.spec);
  if (!hit) destinationsCache.set(vs.spec, (hit = findDestinations(vs)));
  return hit;
}

function findDestinations(vs: Resource): Destination[] {
  const out: Destination[] = [];
  const add = (dest: Json | undefined, path: PathSegment[]) => {
    if (isObject(dest) && typeof dest.host === 'string' && typeof dest.subset === 'string' && dest.subset !== '') {
      out.push({ host: dest.host, subset: dest.subset, path });
    }
  };
  for (const section of ['http', 'tcp', 'tls'] as const) {
    const routes = vs.spec[section];
    if (!Array.isArray(routes)) continue;
    routes.forEach((r, i) => {
      if (!isObject(r)) return;
      if (Array.isArray(r.route)) r.route.forEach((w, j) => isObject(w) && add(w.destination, ['spec', section, i, 'route', j, 'destination']));
      if (section !== 'http') return;
      add(r.mirror, ['spec', section, i, 'mirror']);
      if (Array.isArray(r.mirrors)) r.mirrors.forEach((m, k) => isObject(m) && add(m.destination, ['spec', section, i, 'mirrors', k, 'destination']));
    });
  }
  return out;
}
