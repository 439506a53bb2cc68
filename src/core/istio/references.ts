import type { Resource } from './resource';

/**
 * Reads a VirtualService `gateways` entry the way istiod does: `mesh` is the sidecar pseudo-gateway; `ns/name` names
 * a namespace (`./name` is the VirtualService's own); the legacy `name.ns` and `name.ns.svc.cluster.local` forms
 * name the segment after the first dot as the namespace (Gateway names cannot contain dots); a bare name means the VirtualService's namespace. `/`, `ns/` and `/name` name nothing.
 */
export function parseGatewayRef(ref: string, vsNamespace: string): { namespace: string; name: string } | 'mesh' | undefined {
  if (ref === 'mesh') return 'mesh';
  let namespace = vsNamespace;
  let name = ref;
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    namespace = ref.slice(0, slash) === '.' ? vsNamespace : ref.slice(0, slash);
    name = ref.slice(slash + 1);
  } else if (ref.includes('.')) {
    // istiod's resolveGatewayName: `name.ns` and the FQDN form `name.ns.svc.cluster.local` both mean ns/name.
    const dot = ref.indexOf('.');
    name = ref.slice(0, dot);
    const next = ref.indexOf('.', dot + 1);
    namespace = next < 0 ? ref.slice(dot + 1) : ref.slice(dot + 1, next);
  }
  return namespace === '' || name === '' ? undefined : { namespace, name };
}

export function gatewayRefs(vs: Resource): string[] {
  const g = vs.spec.gateways;
  return Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : [];
}

/** Istio's host match: exact, or a `*.suffix` wildcard on either side, or `*`. */
export function hostsMatch(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const wild = (w: string, h: string) => w.startsWith('*') && h.endsWith(w.slice(1));
  return wild(a, b) || wild(b, a);
}

export function vsHosts(vs: Resource): string[] {
  const h = vs.spec.hosts;
  return Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
}

/** The host part of a Gateway host entry (`ns/host`, `./host`, `*\/host` → `host`). */
export function gatewayHostName(h: string): string {
  const slash = h.indexOf('/');
  return slash >= 0 ? h.slice(slash + 1) : h;
}
