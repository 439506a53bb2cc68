import { pushTo } from '../../collections';
import type { WorkspaceIndex } from '../../index/workspace-index';
import type { MeshtlsConfig } from '../../config';
import type { Placed } from '../../index/placement';
import { isObject, type Json, type JsonObject } from '../../istio/resource';
import { crossModel, reportable, stringList } from './model';

/**
 * The service registry the workspace declares: Kubernetes Services, ServiceEntries, the workloads they select and
 * the Nodes those run on. Istio's analyzers that ask "does this host exist?" or "does this selector reach a pod?"
 * (DestinationHostAnalyzer, IngressGatewayPortAnalyzer, the DestinationRule subset analyzer) read the same objects.
 *
 * A repository rarely holds the whole registry: Services come from Helm charts, other repositories or the platform.
 * So every lookup here comes with a gate that says whether the workspace declares enough to judge (see `judgeable`),
 * and the rules stay silent otherwise.
 */
export interface RegistryEntry {
  /** The host as the registry knows it: `name.ns.svc.cluster.local` for a Service, the SE host as written. */
  host: string;
  /** `*` when visible to every namespace, else the one namespace this entry is visible to. */
  scope: string;
  ports: number[];
  /**
   * False for a Service that a kustomize build applies: its patches (strategic merge, JSON 6902, inline) may rewrite
   * the ports, so port checks leave it alone.
   */
  portsKnown: boolean;
  source: Placed;
  /** The Service's pod selector; undefined for ServiceEntries and for Services without one. */
  selector?: Record<string, string>;
}

export interface Workload {
  namespace: string;
  /** Pod labels, with the topology labels of the Node a bare Pod names in `spec.nodeName`. */
  labels: Record<string, string>;
  source: Placed;
  /** Container ports by name, to resolve a Service's named `targetPort`. */
  namedPorts: Map<string, number>;
  /** True for a `kind: Pod` manifest; false for the pod template of a Deployment, StatefulSet or DaemonSet. */
  bare: boolean;
  unitId: string;
}

export interface ServiceRegistry {
  /** Scoped host key (`scope\0host`) → entries; wildcard SE hosts are in `wildcards` too. */
  byKey: Map<string, RegistryEntry[]>;
  wildcards: RegistryEntry[];
  /** Services by name, for lenient lookups when a namespace is only a guess. */
  servicesByName: Map<string, RegistryEntry[]>;
  /** Unit id → namespaces in which that unit declares at least one Service. */
  serviceNamespacesByUnit: Map<string, Set<string>>;
  /** Units that declare at least one ServiceEntry. */
  serviceEntryUnits: Set<string>;
  /** True when the workspace declares at least one ServiceEntry. */
  hasServiceEntries: boolean;
  /** True when some Service or ServiceEntry could not be read (templated): the registry is then incomplete. */
  templated: boolean;
  services: Placed[];
  workloads: Workload[];
  /** True when the workspace holds `kind: Pod` manifests (Istio's file mode reads those as the cluster's pods). */
  hasBarePods: boolean;
  /** `completeRegistry` in .meshtls.yaml: every host the workspace does not declare is missing. */
  complete: boolean;
}

export const CLUSTER_SUFFIX = '.svc.cluster.local';

/** The kinds the registry is built from: a rule that calls serviceRegistry() reads these (WorkspaceRule.reads). */
export const REGISTRY_READS: readonly string[] = ['Service', 'ServiceEntry', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Node'];
const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone', 'kubernetes.io/hostname'];

const cache = new WeakMap<WorkspaceIndex, { key: string; config: MeshtlsConfig; registry: ServiceRegistry }>();

export function serviceRegistry(ctx: { index: WorkspaceIndex; config: MeshtlsConfig }): ServiceRegistry {
  const model = crossModel(ctx);
  // Built from placed instances of REGISTRY_READS only: an edit of a VirtualService keeps it.
  const key = `${model.placement.epoch},${REGISTRY_READS.map((k) => ctx.index.kindVersion(k)).join(',')}`;
  const hit = cache.get(ctx.index);
  if (hit && hit.key === key && hit.config === ctx.config) return hit.registry;
  const reg: ServiceRegistry = {
    byKey: new Map(),
    wildcards: [],
    servicesByName: new Map(),
    serviceNamespacesByUnit: new Map(),
    serviceEntryUnits: new Set(),
    hasServiceEntries: false,
    templated: false,
    services: [],
    workloads: [],
    hasBarePods: false,
    complete: ctx.config.completeRegistry === true,
  };
  const add = (e: RegistryEntry) => {
    const key = `${e.scope}\0${e.host}`;
    pushTo(reg.byKey, key, e);
    if (e.host.startsWith('*')) reg.wildcards.push(e);
  };
  const nodes = new Map<string, Record<string, string>>();
  for (const p of model.placement.instances) {
    if (p.kind === 'Node') nodes.set(p.name, labelsOf(p.value.metadata));
  }
  for (const p of model.placement.instances) {
    if (p.kind === 'ServiceEntry') {
      if (!reportable(p)) {
        reg.templated = true;
        continue;
      }
      reg.hasServiceEntries = true;
      reg.serviceEntryUnits.add(p.unit.id);
      const exportTo = stringList(p.spec.exportTo).map((e) => e.value);
      const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : exportTo.map((e) => (e === '.' ? p.namespace : e));
      const ports = Array.isArray(p.spec.ports) ? p.spec.ports.flatMap((x) => (isObject(x) && typeof x.number === 'number' ? [x.number] : [])) : [];
      for (const { value } of stringList(p.spec.hosts)) for (const scope of scopes) add({ host: value, scope, ports, portsKnown: p.unit.kind !== 'kustomize', source: p });
    } else if (p.kind === 'Service') {
      if (!reportable(p) || /[{}$]/.test(p.name)) {
        reg.templated = true;
        continue;
      }
      reg.services.push(p);
      let nss = reg.serviceNamespacesByUnit.get(p.unit.id);
      if (!nss) reg.serviceNamespacesByUnit.set(p.unit.id, (nss = new Set()));
      nss.add(p.namespace);
      const meta = isObject(p.value.metadata) ? p.value.metadata : {};
      const annotation = isObject(meta.annotations) ? meta.annotations['networking.istio.io/exportTo'] : undefined;
      const exportTo = typeof annotation === 'string' ? annotation.split(',').map((s) => s.trim()).filter(Boolean) : [];
      const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : exportTo.map((e) => (e === '.' ? p.namespace : e));
      const ports = Array.isArray(p.spec.ports) ? p.spec.ports.flatMap((x) => (isObject(x) && typeof x.port === 'number' ? [x.port] : [])) : [];
      const selector = isObject(p.spec.selector) ? stringMap(p.spec.selector) : undefined;
      const host = `${p.name}.${p.namespace}${CLUSTER_SUFFIX}`;
      for (const scope of scopes) {
        const e: RegistryEntry = { host, scope, ports, portsKnown: p.unit.kind !== 'kustomize', source: p, selector };
        add(e);
        pushTo(reg.servicesByName, p.name, e);
      }
    } else if (p.kind === 'Pod') {
      reg.hasBarePods = true;
      const labels = labelsOf(p.value.metadata);
      const node = typeof p.spec.nodeName === 'string' ? nodes.get(p.spec.nodeName) : undefined;
      // Istio adds the node's topology labels to the pod's, so a subset may select by region or zone; an empty
      // label value on the node is not a topology.
      if (node) for (const k of TOPOLOGY_LABELS) if (node[k] && !(k in labels)) labels[k] = node[k];
      reg.workloads.push({ namespace: p.namespace, labels, source: p, namedPorts: containerPorts(p.spec), bare: true, unitId: p.unit.id });
    } else if (p.kind === 'Deployment' || p.kind === 'StatefulSet' || p.kind === 'DaemonSet') {
      const template = isObject(p.spec.template) ? p.spec.template : undefined;
      if (!template) continue;
      reg.workloads.push({ namespace: p.namespace, labels: labelsOf(template.metadata), source: p, namedPorts: containerPorts(isObject(template.spec) ? template.spec : {}), bare: false, unitId: p.unit.id });
    }
  }
  cache.set(ctx.index, { key, config: ctx.config, registry: reg });
  return reg;
}

/** Istio's host expansion: a short name (no dot, no wildcard) belongs to the given namespace. */
export function expandHost(host: string, ns: string): string {
  return host.startsWith('*') || host.includes('.') ? host : `${host}.${ns}${CLUSTER_SUFFIX}`;
}

/** `name.ns.svc.cluster.local` → its namespace; undefined for any other host. */
export function clusterNamespace(fqdn: string): string | undefined {
  if (!fqdn.endsWith(CLUSTER_SUFFIX)) return undefined;
  const parts = fqdn.slice(0, -CLUSTER_SUFFIX.length).split('.');
  return parts.length === 2 ? parts[1] : undefined;
}

/**
 * True when the deployment unit that applies the referring resource declares enough of the registry to say that
 * `fqdn` is missing from it: for a cluster service, some Service in that namespace; for any other host, some
 * ServiceEntry. A unit of Istio YAML alone (its Services come from a chart, another folder or another repository)
 * is never judged, nor is a host written with a template expression or in a cluster-domain form other than
 * `.svc.cluster.local`. With `completeRegistry`, every host not written with a template is judged.
 */
export function judgeable(reg: ServiceRegistry, fqdn: string, unitId: string): boolean {
  if (reg.templated || /[{}$<>]/.test(fqdn)) return false;
  // Told that the workspace holds the whole registry (istioctl's file mode): every host is judged.
  if (reg.complete) return true;
  const ns = clusterNamespace(fqdn);
  if (ns !== undefined) return reg.serviceNamespacesByUnit.get(unitId)?.has(ns) ?? false;
  if (/\.svc(\.|$)/.test(fqdn) || fqdn.endsWith('.cluster.local')) return false;
  return reg.serviceEntryUnits.has(unitId);
}

/**
 * The registry entry a destination host resolves to from `sourceNs`, the way Istio's analyzers resolve it: a host
 * visible to every namespace, else one visible to the scopes the referring resource is exported to (its own
 * namespace when it has no exportTo), else a wildcard ServiceEntry host visible to all or to `sourceNs`.
 */
export function lookupHost(reg: ServiceRegistry, sourceNs: string, exportTo: readonly string[], host: string): RegistryEntry | undefined {
  const fqdn = expandHost(host, sourceNs);
  const at = (scope: string) => reg.byKey.get(`${scope}\0${fqdn}`)?.[0];
  const all = at('*');
  if (all) return all;
  if (exportTo.length === 0) {
    const own = at(sourceNs);
    if (own) return own;
  } else {
    for (const e of exportTo) {
      const hit = at(e === '.' ? sourceNs : e);
      if (hit) return hit;
    }
  }
  const bare = fqdn.startsWith('*') ? fqdn.slice(1) : fqdn;
  for (const w of reg.wildcards) {
    if (w.scope !== '*' && w.scope !== sourceNs) continue;
    if (bare.endsWith(w.host.slice(1))) return w;
  }
  return undefined;
}

/** True when `labels` carries every key of `selector` with the same value. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

function labelsOf(meta: Json | undefined): Record<string, string> {
  return isObject(meta) ? stringMap(meta.labels) : {};
}

function containerPorts(spec: JsonObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    if (!isObject(c) || !Array.isArray(c.ports)) continue;
    for (const p of c.ports) if (isObject(p) && typeof p.name === 'string' && typeof p.containerPort === 'number') out.set(p.name, p.containerPort);
  }
  return out;
}

export type Resolution = { entry: RegistryEntry } | { missing: string } | { unjudged: true };

/**
 * Resolves a host named by `from` (a VirtualService destination, a DestinationRule host). A namespace that is only
 * a guess on either side (no metadata.namespace, kubectl -n or kustomization namespace) is read leniently: a Service
 * of that name anywhere counts.
 */
export function resolveHost(reg: ServiceRegistry, from: Placed, host: string): Resolution {
  const fqdn = expandHost(host, from.namespace);
  if (!judgeable(reg, fqdn, from.unit.id)) return { unjudged: true };
  const exportTo = stringList(from.spec.exportTo).map((e) => e.value);
  const entry = lookupHost(reg, from.namespace, exportTo, host);
  if (entry) return { entry };
  const name = fqdn.endsWith(CLUSTER_SUFFIX) ? fqdn.split('.')[0] : undefined;
  if (name !== undefined) {
    const guessed = (reg.servicesByName.get(name) ?? []).find((e) => !e.source.nsKnown || (!from.nsKnown && !host.includes('.')));
    if (guessed) return { entry: guessed };
  }
  return { missing: fqdn };
}

export interface RouteDestination {
  /** The host as written; '' when the route has no destination host. */
  host: string;
  /** Path of the destination object inside the resource. */
  path: (string | number)[];
  mirror: boolean;
  port?: number;
}

/** Every destination of a VirtualService: http, tcp and tls routes, then http mirror and mirrors. */
export function routeDestinations(spec: JsonObject): RouteDestination[] {
  const out: RouteDestination[] = [];
  const add = (d: Json | undefined, path: (string | number)[], mirror: boolean) => {
    const o = isObject(d) ? d : {};
    const port = isObject(o.port) && typeof o.port.number === 'number' ? o.port.number : undefined;
    out.push({ host: typeof o.host === 'string' ? o.host : '', path, mirror, port });
  };
  for (const section of ['http', 'tcp', 'tls'] as const) {
    const routes = spec[section];
    if (!Array.isArray(routes)) continue;
    routes.forEach((r, i) => {
      if (!isObject(r) || !Array.isArray(r.route)) return;
      r.route.forEach((w, j) => add(isObject(w) ? w.destination : undefined, [section, i, 'route', j, 'destination'], false));
    });
  }
  if (Array.isArray(spec.http)) {
    spec.http.forEach((r, i) => {
      if (!isObject(r)) return;
      if (isObject(r.mirror)) add(r.mirror, ['http', i, 'mirror'], true);
      if (Array.isArray(r.mirrors)) r.mirrors.forEach((m, k) => isObject(m) && add(m.destination, ['http', i, 'mirrors', k, 'destination'], true));
    });
  }
  return out;
}

/**
 * Every route destination of every reportable VirtualService, with the registry it is judged against; nothing when the
 * workspace declares no Service or ServiceEntry (a repository of Istio YAML alone is not judged).
 */
export function judgedDestinations(ctx: { index: WorkspaceIndex; config: MeshtlsConfig }): { vs: Placed; d: RouteDestination; reg: ServiceRegistry }[] {
  // Without VirtualServices there is nothing to judge, and no registry to build (20,000 Gateways: a pass over each).
  if (crossModel(ctx).virtualServices.length === 0) return [];
  const reg = serviceRegistry(ctx);
  if (reg.services.length === 0 && !reg.hasServiceEntries) return [];
  const out: { vs: Placed; d: RouteDestination; reg: ServiceRegistry }[] = [];
  for (const vs of crossModel(ctx).virtualServices) {
    if (!reportable(vs)) continue;
    for (const d of routeDestinations(vs.spec)) out.push({ vs, d, reg });
  }
  return out;
}
