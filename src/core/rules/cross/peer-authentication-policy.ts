import { isObject, type Resource } from '../../istio/resource';
import type { PathSegment } from '../../yaml/documents';
import { matchLabels, selectorSubset, type CrossModel } from './model';

export type PeerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** Where an effective mode came from: the policy and the path of the `mode` field that decided it. */
export interface PeerDecision {
  mode: PeerMode;
  source?: { pa: Resource; path: PathSegment[] };
}

/** The mTLS mode a PeerAuthentication sets at workload level, or undefined for UNSET / absent. */
function ownMode(pa: Resource): PeerMode | undefined {
  const mtls = pa.spec.mtls;
  const mode = isObject(mtls) ? mtls.mode : undefined;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function portMode(pa: Resource, port: number): PeerMode | undefined {
  const levels = pa.spec.portLevelMtls;
  if (!isObject(levels)) return undefined;
  const entry = levels[String(port)];
  const mode = isObject(entry) ? entry.mode : undefined;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

/**
 * The policy selection istiod applies to one workload (pilot's ComposePeerAuthentication): the oldest selector-less
 * policy of the root namespace (mesh), the oldest selector-less policy of the workload's namespace, and the oldest
 * matching workload policy outside the root namespace. Workspace order stands in for "oldest". Selector-carrying
 * policies can only be matched when the workload's labels are known (from a Service selector).
 */
export function selectPolicies(model: CrossModel, rootNs: string, ns: string, podLabels: Record<string, string> | undefined): { mesh?: Resource; namespace?: Resource; workload?: Resource } {
  const out: { mesh?: Resource; namespace?: Resource; workload?: Resource } = {};
  for (const pa of model.peerAuthenticationsByNs.get(rootNs) ?? []) {
    if (!matchLabels(pa)) {
      out.mesh = pa;
      break;
    }
  }
  if (ns === rootNs) return out;
  for (const pa of model.peerAuthenticationsByNs.get(ns) ?? []) {
    const sel = matchLabels(pa);
    if (!sel) out.namespace ??= pa;
    else if (podLabels && selectorSubset(sel, podLabels)) out.workload ??= pa;
  }
  return out;
}

/** The effective inbound mTLS mode for a workload (and a container port, when given); UNSET inherits upwards. */
export function effectivePeerMode(model: CrossModel, rootNs: string, ns: string, podLabels: Record<string, string> | undefined, port?: number): PeerDecision {
  const p = selectPolicies(model, rootNs, ns, podLabels);
  let decision: PeerDecision = { mode: 'PERMISSIVE' };
  for (const pa of [p.mesh, p.namespace, p.workload]) {
    const mode = pa && ownMode(pa);
    if (pa && mode) decision = { mode, source: { pa, path: ['spec', 'mtls', 'mode'] } };
  }
  if (p.workload && port !== undefined) {
    const mode = portMode(p.workload, port);
    if (mode) decision = { mode, source: { pa: p.workload, path: ['spec', 'portLevelMtls', String(port), 'mode'] } };
  }
  return decision;
}
