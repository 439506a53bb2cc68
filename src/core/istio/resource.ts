import type { YamlDocument, PathSegment } from '../yaml/documents';
import { spanOf } from '../yaml/documents';
import type { Span } from '../types';

/** The Istio kinds meshtls lints, with the API group each belongs to and the versions Istio serves. */
export const ISTIO_KINDS = {
  Gateway: { group: 'networking.istio.io', versions: ['v1alpha3', 'v1beta1', 'v1'] },
  VirtualService: { group: 'networking.istio.io', versions: ['v1alpha3', 'v1beta1', 'v1'] },
  DestinationRule: { group: 'networking.istio.io', versions: ['v1alpha3', 'v1beta1', 'v1'] },
  PeerAuthentication: { group: 'security.istio.io', versions: ['v1beta1', 'v1'] },
} as const;
export type IstioKind = keyof typeof ISTIO_KINDS;

/**
 * Kubernetes kinds indexed because Istio rules refer to them. Pods are read the way `istioctl analyze` reads them in
 * file mode: when a workspace declares Pods, the analyzers that ask which workloads a selector matches use them.
 * ConfigMaps hold Gateway API client CAs.
 */
export const CORE_KINDS = ['Secret', 'Service', 'Namespace', 'Pod', 'ConfigMap', 'Node'] as const;
export type CoreKind = (typeof CORE_KINDS)[number];

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * The Kubernetes Gateway API kinds meshtls lints, keyed by the internal kind name rules route by, with the kind
 * written in YAML and the versions served by the standard and experimental channels of the vendored CRDs (v1.6.1).
 * The Gateway API `Gateway` shares its kind name with Istio's `networking.istio.io` Gateway; internally it is
 * `K8sGateway`, so every rule, index lookup and kind counter that says `Gateway` keeps meaning Istio's, and
 * `kindName()` gives the name users write back for messages.
 */
export const GATEWAY_API_KINDS = {
  K8sGateway: { kind: 'Gateway', versions: ['v1', 'v1beta1'] },
  GatewayClass: { kind: 'GatewayClass', versions: ['v1', 'v1beta1'] },
  HTTPRoute: { kind: 'HTTPRoute', versions: ['v1', 'v1beta1'] },
  GRPCRoute: { kind: 'GRPCRoute', versions: ['v1'] },
  TLSRoute: { kind: 'TLSRoute', versions: ['v1', 'v1alpha2', 'v1alpha3'] },
  TCPRoute: { kind: 'TCPRoute', versions: ['v1', 'v1alpha2'] },
  ReferenceGrant: { kind: 'ReferenceGrant', versions: ['v1', 'v1beta1'] },
  ListenerSet: { kind: 'ListenerSet', versions: ['v1'] },
  BackendTLSPolicy: { kind: 'BackendTLSPolicy', versions: ['v1', 'v1alpha3'] },
} as const;
export type GatewayApiKind = keyof typeof GATEWAY_API_KINDS;

/** Internal kind for a Gateway API kind as written in YAML (`Gateway` → `K8sGateway`). */
const GATEWAY_API_BY_KIND = new Map<string, GatewayApiKind>(Object.entries(GATEWAY_API_KINDS).map(([k, v]) => [v.kind, k as GatewayApiKind]));

/**
 * Istio kinds read only for what they declare, the way Istio's analyzers read them: ServiceEntries for the service
 * registry (the hosts a destination may name), RequestAuthentications for which workloads validate JWTs, Sidecars for
 * the deprecated field istioctl's deprecation analyzer reports. meshtls does not lint them otherwise (no schema).
 */
export const REGISTRY_KINDS = {
  ServiceEntry: { group: 'networking.istio.io' },
  RequestAuthentication: { group: 'security.istio.io' },
  Sidecar: { group: 'networking.istio.io' },
} as const;
export type RegistryKind = keyof typeof REGISTRY_KINDS;

/**
 * Kinds recognised only so that meshtls can say it does not check them: `XListenerSet` is the experimental ListenerSet
 * (group `gateway.networking.x-k8s.io`) that Gateway API v1.5 replaced by ListenerSet `gateway.networking.k8s.io/v1`.
 * Left unindexed, it would be skipped in silence, and "no finding" read as "checked".
 */
export const UNCHECKED_KINDS = { XListenerSet: { group: 'gateway.networking.x-k8s.io' } } as const;
export type UncheckedKind = keyof typeof UNCHECKED_KINDS;

/** Workload controllers (group `apps`), read for their pod template: whether its pods get a sidecar. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface Resource {
  /** The internal kind: Istio and core kinds as written, Gateway API kinds per GATEWAY_API_KINDS (`K8sGateway`). */
  kind: IstioKind | CoreKind | WorkloadKind | GatewayApiKind | RegistryKind | UncheckedKind;
  apiVersion: string;
  group: string;
  version: string;
  name: string;
  /**
   * The effective namespace: metadata.namespace, else the namespace the command that applies the document gives it
   * (`kubectl apply -n NS -f - <<EOF`), else the default namespace — kubectl's own order.
   */
  namespace: string;
  namespaceSet: boolean;
  doc: YamlDocument;
  /** Path of the resource inside its document: [] for a plain document, ['items', i] inside `kind: List`. */
  path: PathSegment[];
  value: JsonObject;
  spec: JsonObject;
}

export function isIstioKind(r: Resource): r is Resource & { kind: IstioKind } {
  return r.kind in ISTIO_KINDS;
}

export function isGatewayApiKind(r: Resource): r is Resource & { kind: GatewayApiKind } {
  return r.kind in GATEWAY_API_KINDS;
}

/** Kinds the resource rules run on: Istio's and the Gateway API's. */
export function isLintedKind(r: Resource): boolean {
  return isIstioKind(r) || isGatewayApiKind(r);
}

/** The kind as users write it (`K8sGateway` → `Gateway`). */
export function kindName(kind: Resource['kind']): string {
  return kind in GATEWAY_API_KINDS ? GATEWAY_API_KINDS[kind as GatewayApiKind].kind : kind;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const DEFAULT_NAMESPACE = 'default';

/** Extracts the resources meshtls knows from one parsed document (several for `kind: List`). */
export function resourcesOf(d: YamlDocument): Resource[] {
  if (!isObject(d.value)) return [];
  const v = d.value;
  if (v.kind === 'List' && Array.isArray(v.items)) {
    const out: Resource[] = [];
    v.items.forEach((item, i) => {
      const r = toResource(d, item, ['items', i]);
      if (r) out.push(r);
    });
    return out;
  }
  const r = toResource(d, v, []);
  return r ? [r] : [];
}

function toResource(d: YamlDocument, v: Json, path: PathSegment[]): Resource | undefined {
  if (!isObject(v) || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') return undefined;
  const [group, version] = v.apiVersion.includes('/') ? v.apiVersion.split('/', 2) : ['', v.apiVersion];
  let kind: Resource['kind'] | undefined;
  if (group === GATEWAY_API_GROUP) {
    kind = GATEWAY_API_BY_KIND.get(v.kind);
  } else if (v.kind in ISTIO_KINDS) {
    if (ISTIO_KINDS[v.kind as IstioKind].group !== group) return undefined;
    kind = v.kind as IstioKind;
  } else if (v.kind in REGISTRY_KINDS) {
    if (REGISTRY_KINDS[v.kind as RegistryKind].group !== group) return undefined;
    kind = v.kind as RegistryKind;
  } else if (Object.hasOwn(UNCHECKED_KINDS, v.kind)) {
    if (UNCHECKED_KINDS[v.kind as UncheckedKind].group !== group) return undefined;
    kind = v.kind as UncheckedKind;
  } else if ((CORE_KINDS as readonly string[]).includes(v.kind) && group === '') {
    kind = v.kind as CoreKind;
  } else if ((WORKLOAD_KINDS as readonly string[]).includes(v.kind) && group === 'apps') {
    kind = v.kind as WorkloadKind;
  }
  if (!kind) return undefined;
  const meta = isObject(v.metadata) ? v.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  return {
    kind,
    apiVersion: v.apiVersion,
    group,
    version,
    name,
    namespace: kind === 'Namespace' ? name : ns ?? d.applyNamespace?.namespace ?? DEFAULT_NAMESPACE,
    namespaceSet: ns !== undefined || d.applyNamespace !== undefined,
    doc: d,
    path,
    value: v,
    spec: isObject(v.spec) ? v.spec : {},
  };
}

/** The span of a path inside a resource (relative to the resource, e.g. ['spec','servers',0,'tls']). */
export function spanIn(r: Resource, path: readonly PathSegment[], which: 'value' | 'key' = 'value'): Span {
  const s = spanOf(r.doc, r.path.length ? [...r.path, ...path] : path, which);
  return { fileId: r.doc.fileId, start: s.start, end: s.end };
}

/** `Kind ns/name`, the way Istio names a resource in its messages. */
export function describe(r: Resource): string {
  return `${kindName(r.kind)} ${r.namespace}/${r.name}`;
}
