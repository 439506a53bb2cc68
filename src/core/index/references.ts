import type { WorkspaceIndex } from './workspace-index';
import type { Resource } from '../istio/resource';
import { gatewayServers } from '../istio/gateway';
import { parseGatewayRef, gatewayRefs, gatewayHostName, hostsMatch, vsHosts } from '../istio/references';

// Questions about references that need the whole workspace. They live beside the index, so the typed views in
// src/core/istio stay free of it and the data keeps flowing one way (resources → index → rules).

export function resolveGatewayRef(index: WorkspaceIndex, vs: Resource, ref: string): Resource | 'mesh' | undefined {
  const parsed = parseGatewayRef(ref, vs.namespace);
  if (parsed === 'mesh' || parsed === undefined) return parsed;
  return index.find('Gateway', parsed.namespace, parsed.name) ?? index.find('K8sGateway', parsed.namespace, parsed.name);
}

/** VirtualServices whose `gateways` name this Gateway. */
export function virtualServicesBoundTo(index: WorkspaceIndex, gw: Resource): Resource[] {
  return index.ofKind('VirtualService').filter((vs) =>
    gatewayRefs(vs).some((ref) => {
      const p = parseGatewayRef(ref, vs.namespace);
      return p !== 'mesh' && p !== undefined && p.namespace === gw.namespace && p.name === gw.name;
    }),
  );
}

/** VirtualServices bound to this Gateway whose hosts match `host`. */
export function virtualServicesForHost(index: WorkspaceIndex, gw: Resource, host: string): Resource[] {
  const name = gatewayHostName(host);
  return virtualServicesBoundTo(index, gw).filter((vs) => vsHosts(vs).some((h) => hostsMatch(h, name)));
}

/** Every Gateway server's credentialName, for completion and the credentials view. */
export function credentialNames(index: WorkspaceIndex): string[] {
  const names = new Set<string>();
  for (const gw of index.ofKind('Gateway')) for (const s of gatewayServers(gw)) if (s.tls && typeof s.tls.credentialName === 'string') names.add(s.tls.credentialName);
  for (const secret of index.ofKind('Secret')) if (secret.name && !secret.name.endsWith('-cacert')) names.add(secret.name);
  return [...names].sort();
}
