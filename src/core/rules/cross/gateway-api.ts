import type { WorkspaceIndex } from '../../index/workspace-index';
import { DEFAULT_NAMESPACE, isObject } from '../../istio/resource';

/** A Kubernetes Gateway API Gateway (gateway.networking.k8s.io), as far as a VirtualService bound to it cares. */
export interface GatewayApiGateway {
  namespace: string;
  name: string;
  /** Listener hostnames; a listener without one accepts every host. */
  hostnames: (string | undefined)[];
}

const cache = new WeakMap<WorkspaceIndex, { version: number; byKey: Map<string, GatewayApiGateway> }>();

/**
 * Gateway API Gateways by `ns/name`. istiod serves a VirtualService bound to one by name, and Istio's analyzer
 * resolves such references against them, so a reference to one is not a missing Istio Gateway. They are not indexed
 * resources (meshtls does not lint them); this reads the parsed documents directly.
 */
export function gatewayApiGateways(index: WorkspaceIndex): Map<string, GatewayApiGateway> {
  const hit = cache.get(index);
  if (hit && hit.version === index.version) return hit.byKey;
  const byKey = new Map<string, GatewayApiGateway>();
  for (const f of index.yamlFiles.values()) {
    for (const d of f.docs) {
      const v = d.value;
      if (!isObject(v) || v.kind !== 'Gateway' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
      const meta = isObject(v.metadata) ? v.metadata : {};
      if (typeof meta.name !== 'string') continue;
      const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : d.applyNamespace?.namespace ?? DEFAULT_NAMESPACE;
      const listeners = isObject(v.spec) && Array.isArray(v.spec.listeners) ? v.spec.listeners : [];
      const hostnames = listeners.map((l) => (isObject(l) && typeof l.hostname === 'string' ? l.hostname : undefined));
      const key = `${namespace}/${meta.name}`;
      if (!byKey.has(key)) byKey.set(key, { namespace, name: meta.name, hostnames });
    }
  }
  cache.set(index, { version: index.version, byKey });
  return byKey;
}
