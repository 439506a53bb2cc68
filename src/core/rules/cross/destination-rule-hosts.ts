// How Kiali and istiod read DestinationRule hosts when comparing rules with each other: short names and `name.ns`
// forms expanded to FQDNs, the scope of a wildcard host, and the namespaces an exportTo list makes a rule visible in.
import type { WorkspaceIndex } from '../../index/workspace-index';
import { isObject, type Resource } from '../../istio/resource';
import { stringList } from './model';
import type { Placed } from '../../index/placement';

const SUFFIX = 'svc.cluster.local';

/** Every namespace the workspace mentions (Namespace objects and resources' namespaces) plus the root namespace. */
export function knownNamespaces(index: WorkspaceIndex, root: string): Set<string> {
  const out = new Set<string>([root]);
  for (const f of index.yamlFiles.values()) for (const r of f.resources) out.add(r.namespace);
  return out;
}

/**
 * A host as a FQDN: `reviews` in namespace `bookinfo` is `reviews.bookinfo.svc.cluster.local`, and so is
 * `reviews.bookinfo` when `bookinfo` is a namespace of the workspace, and `reviews.bookinfo.svc`. Anything else
 * (external names, wildcards) stays as written.
 */
export function hostFqdn(host: string, ns: string, namespaces: Set<string>): string {
  if (host === '*' || host.startsWith('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${ns}.${SUFFIX}`;
  if (parts.length === 2 && namespaces.has(parts[1])) return `${host}.${SUFFIX}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** `mesh` for `*`, `*.local` and `*.cluster.local`; `namespace` (with its name) for `*.<ns>.svc.cluster.local`. */
export function wildcardScope(host: string): { scope: 'mesh' } | { scope: 'namespace'; ns: string } | undefined {
  if (host === '*' || host === '*.local' || host === '*.cluster.local' || host === `*.${SUFFIX}`) return { scope: 'mesh' };
  const m = /^\*\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
  return m ? { scope: 'namespace', ns: m[1] } : undefined;
}

/** The top-level client TLS mode, if any. */
export function topTlsMode(dr: Resource): string | undefined {
  const tp = dr.spec.trafficPolicy;
  const tls = isObject(tp) && isObject(tp.tls) ? tp.tls : undefined;
  return tls && typeof tls.mode === 'string' ? tls.mode : undefined;
}

/** True when the rule sets client TLS anywhere in its top-level policy (whole or per port). */
export function hasTlsSettings(dr: Resource): boolean {
  const tp = dr.spec.trafficPolicy;
  if (!isObject(tp)) return false;
  if (isObject(tp.tls)) return true;
  return Array.isArray(tp.portLevelSettings) && tp.portLevelSettings.some((p) => isObject(p) && isObject(p.tls));
}

/** Namespaces a rule is exported to: `*` (all), or a set with `.` resolved to the rule's own namespace. */
export function exportedTo(r: Resource): '*' | Set<string> {
  const list = stringList(r.spec.exportTo).map((e) => e.value);
  if (list.length === 0 || list.includes('*')) return '*';
  return new Set(list.map((e) => (e === '.' ? r.namespace : e)));
}

export function visibleTogether(a: Resource, b: Resource): boolean {
  const ea = exportedTo(a);
  const eb = exportedTo(b);
  if (ea === '*' || eb === '*') return true;
  for (const n of ea) if (eb.has(n)) return true;
  return false;
}

/**
 * The wildcard DestinationRule that sets client TLS for a namespace's services when no host rule does: a rule for
 * `*.<ns>.svc.cluster.local` (in that namespace or the root namespace) before a mesh-wide one (`*.local`, `*`).
 * With `fileId`, only rules of that file count (see sameUnit).
 */
export function governingWildcardRule(drs: readonly Resource[], ns: string, root: string, fileId?: string): Resource | undefined {
  let mesh: Resource | undefined;
  for (const dr of drs) {
    if (typeof dr.spec.host !== 'string' || (fileId !== undefined && dr.doc.fileId !== fileId)) continue;
    const scope = wildcardScope(dr.spec.host);
    if (!scope || !topTlsMode(dr)) continue;
    if (scope.scope === 'namespace' && scope.ns === ns && (dr.namespace === ns || dr.namespace === root)) return dr;
    if (scope.scope === 'mesh') mesh ??= dr;
  }
  return mesh;
}

/**
 * Whether two resources are certainly applied together: the same deployment unit (see ../../index/placement), which
 * keeps the alternative policies of tutorials and sample folders (mTLS on, mTLS off) apart. A resource that did not
 * come through placement is compared within its file only.
 */
export function sameUnit(a: Resource, b: Resource): boolean {
  const ua = (a as Partial<Placed>).unit;
  const ub = (b as Partial<Placed>).unit;
  return ua && ub ? ua.id === ub.id : a.doc.fileId === b.doc.fileId;
}
