import type { WorkspaceIndex } from '../../index/workspace-index';
import { GATEWAY_API_GROUP, GATEWAY_API_KINDS, UNCHECKED_KINDS, type Resource } from '../../istio/resource';
import { CREDENTIAL_READS } from '../credentials/analysis';
import { listenersOf, parentRefs, type Listener, type ParentRef } from '../../istio/gateway-api';
import { allRoutes, attachParentRef, gatewayClassOwner, listenerSetAdmission, listenerSetParent, type Attachment } from '../../index/gateway-api';

// Shared by the Gateway API rules: which objects istiod acts on. Every rule here is a workspace rule, because what
// istiod does with a Gateway depends on its GatewayClass, and a listener's certificates on grants elsewhere.

/**
 * What the Gateway API rules read (WorkspaceRule.reads): every Gateway API kind, the Services and ServiceEntries
 * routes and policies name, and everything the credential rules read (listener certificates, grants, classes,
 * namespaces). Not the Istio routing kinds, so a VirtualService or DestinationRule edit leaves them alone.
 */
export const GATEWAY_API_RULE_READS: readonly string[] = [...new Set([...Object.keys(GATEWAY_API_KINDS), ...Object.keys(UNCHECKED_KINDS), 'Service', 'ServiceEntry', ...CREDENTIAL_READS])];

function usable(r: Resource): boolean {
  return !r.doc.templated && r.doc.errors.length === 0 && r.name !== '';
}

/** Gateways istiod serves (their class is Istio's, or unknown: a typo is reported by gateway-api-gateway-class-unknown). */
export function istioGateways(index: WorkspaceIndex): Resource[] {
  return index.ofKind('K8sGateway').filter((gw) => usable(gw) && gatewayClassOwner(index, gw) !== 'other');
}

/**
 * ListenerSets whose parent istiod serves (or whose parent is not in the workspace), leaving out those the parent
 * does not admit: istiod builds none of their listeners, and gateway-api-listener-set-not-allowed reports them.
 */
export function istioListenerSets(index: WorkspaceIndex): Resource[] {
  return index.ofKind('ListenerSet').filter((ls) => {
    if (!usable(ls)) return false;
    const parent = listenerSetParent(index, ls);
    return !parent || (gatewayClassOwner(index, parent) !== 'other' && listenerSetAdmission(index, ls).allowed !== false);
  });
}

/** Every listener of every Istio Gateway and ListenerSet, with its owner. */
export function istioListeners(index: WorkspaceIndex): Listener[] {
  return [...istioGateways(index), ...istioListenerSets(index)].flatMap(listenersOf);
}

/** `Gateway foocorp/foocorp-gateway` / `ListenerSet ns/name`, as users write the kinds. */
export function ownerLabel(r: Resource): string {
  return `${r.kind === 'K8sGateway' ? 'Gateway' : r.kind} ${r.namespace}/${r.name}`;
}

export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface RouteParent {
  route: Resource;
  ref: ParentRef;
  /** undefined when the parent kind is not a Gateway API Gateway/ListenerSet (Service parents are mesh routes). */
  attachment: Attachment | 'unknown' | undefined;
}

const attachCache = new WeakMap<WorkspaceIndex, { version: number; target: string; value: RouteParent[] }>();

/** Every parentRef of every route with istiod's verdict, computed once per workspace version for the four rules. */
export function routeParents(index: WorkspaceIndex, target: string): RouteParent[] {
  const hit = attachCache.get(index);
  if (hit && hit.version === index.version && hit.target === target) return hit.value;
  const value: RouteParent[] = [];
  for (const route of allRoutes(index)) {
    if (!usable(route)) continue;
    for (const ref of parentRefs(route)) {
      const gatewayParent = ref.group === GATEWAY_API_GROUP && (ref.kind === 'Gateway' || ref.kind === 'ListenerSet');
      value.push({ route, ref, attachment: gatewayParent ? attachParentRef(index, route, ref, target) : undefined });
    }
  }
  attachCache.set(index, { version: index.version, target, value });
  return value;
}

/** Whether istiod acts on the parent of an attachment (its class is not another controller's). */
export function parentIsIstio(index: WorkspaceIndex, parent: Resource): boolean {
  const gw = parent.kind === 'ListenerSet' ? listenerSetParent(index, parent) : parent;
  return !gw || gatewayClassOwner(index, gw) !== 'other';
}
