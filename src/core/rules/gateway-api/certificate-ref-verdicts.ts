import type { RuleContext } from '../types';
import { certificateRefs, listenerTlsMode, OPTION_TERMINATE_MODE, tlsOptions, type Listener, type ObjectRef } from '../../istio/gateway-api';
import { referenceGrantAllows } from '../../index/gateway-api';
import { credentialIndex, credentialUses, type CredentialUse } from '../../index/credentials';
import { spanIn } from '../../istio/resource';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import { analyze } from '../credentials/analysis';

// How istiod's buildTLS judges each certificateRef of a terminating listener, in the order it checks them (grant,
// kind, Secret found, keys, key pair). Shared by the rule for the silent two-ref case and by the per-ref rules, which
// leave that case to it: with one good ref of two istiod sets no condition at all.

export type RefProblem = 'kind' | 'not-permitted' | 'not-found' | 'keys' | 'key-pair';

export interface RefVerdict {
  ref: ObjectRef;
  /** undefined when the ref resolves to a usable key pair; 'unknown' when the workspace cannot tell. */
  problem: RefProblem | 'unknown' | undefined;
  use?: CredentialUse;
  /** Resolved only by a PKI tree standing in for a name no Secret manifest or kubectl line creates. */
  standIn?: boolean;
}

export function certificateRefVerdicts(ctx: RuleContext, l: Listener): RefVerdict[] {
  const uses = credentialUses(ctx.index, ctx.config).filter((u) => u.listener && u.gateway === l.owner && u.listener.index === l.index);
  const fromKind = l.owner.kind === 'K8sGateway' ? 'Gateway' : 'ListenerSet';
  const material = credentialIndex(ctx.index, ctx.config).hasMaterial;
  return certificateRefs(l).map((ref): RefVerdict => {
    if (ref.group !== '' || ref.kind !== 'Secret') return { ref, problem: 'kind' };
    const ns = ref.namespace ?? l.owner.namespace;
    if (ns !== l.owner.namespace && !referenceGrantAllows(ctx.index, { fromKind, fromNamespace: l.owner.namespace, toKind: 'Secret', toNamespace: ns, toName: ref.name, target: ctx.config.targetIstioVersion }).allowed) {
      return { ref, problem: 'not-permitted' };
    }
    const start = spanIn(l.owner, [...ref.path, 'name']).start;
    const use = uses.find((u) => u.span.start === start);
    if (!use) return { ref, problem: 'unknown' };
    const r = use.resolution;
    if (r.status === 'unresolved' || r.status === 'wrong-namespace') return { ref, use, problem: material ? 'not-found' : 'unknown' };
    if (r.status !== 'resolved') return { ref, use, problem: 'unknown' };
    // cert-manager writes a matching tls.crt/tls.key pair; its contents are not in the workspace to check.
    if (r.source?.kind === 'cert-manager') return { ref, use, problem: undefined };
    if (r.layout === 'none') return { ref, use, problem: 'keys' };
    const standIn = r.source?.kind === 'pki-tree';
    if (r.cert?.missing || r.key?.missing) return { ref, use, problem: 'unknown' };
    const a = analyze(use, ctx);
    if (!a.leaf || !a.key || a.key.info.status !== 'ok') return { ref, use, problem: 'key-pair' };
    if (!a.key.info.spki.equals(a.leaf.cert.spki)) return { ref, use, problem: 'key-pair' };
    return { ref, use, problem: undefined, standIn };
  });
}

/**
 * Whether istiod reads the listener's certificateRefs and takes the silent path: exactly two refs (1.27+), one usable
 * and the other not. Returns the bad ref's verdict and its index, or undefined.
 */
export function silentlyDroppedRef(ctx: RuleContext, l: Listener): { bad: RefVerdict; good: RefVerdict; first: boolean } | undefined {
  if (listenerTlsMode(l) !== 'Terminate' || (l.protocol !== 'HTTPS' && l.protocol !== 'TLS')) return undefined;
  const opt = tlsOptions(l).get(OPTION_TERMINATE_MODE)?.value;
  if (opt === 'ISTIO_SIMPLE' || opt === 'ISTIO_MUTUAL') return undefined;
  if (certificateRefs(l).length !== 2 || !istioAtLeast(ctx.config.targetIstioVersion, ISTIO_CHANGES.twoCertificateRefs)) return undefined;
  let [a, b] = certificateRefVerdicts(ctx, l);
  // A PKI tree stands in for any name nothing creates. When the other ref's Secret is created explicitly, this one
  // would be too if it existed: it is missing.
  const explicit = (v: RefVerdict) => v.problem === undefined && !v.standIn;
  if (a.standIn && explicit(b)) a = { ...a, problem: 'not-found' };
  else if (b.standIn && explicit(a)) b = { ...b, problem: 'not-found' };
  if (a.problem === undefined && b.problem !== undefined && b.problem !== 'unknown') return { bad: b, good: a, first: false };
  if (b.problem === undefined && a.problem !== undefined && a.problem !== 'unknown') return { bad: a, good: b, first: true };
  return undefined;
}

/** Whether `ref` (of listener `l`) is the bad half of the silent two-ref case, which the per-ref rules leave alone. */
export function isSilentlyDropped(ctx: RuleContext, l: Listener, ref: ObjectRef): boolean {
  const s = silentlyDroppedRef(ctx, l);
  return !!s && s.bad.ref.path.join('/') === ref.path.join('/');
}

/** The same question for a credential use (one certificateRef of a listener), for the credential rules. */
export function useSilentlyDropped(ctx: RuleContext, use: CredentialUse): boolean {
  if (!use.listener) return false;
  const l = use.listener;
  const ref = certificateRefs(l).find((x) => spanIn(l.owner, [...x.path, 'name']).start === use.span.start);
  return !!ref && isSilentlyDropped(ctx, l, ref);
}

/**
 * Whether the certificateRef behind a credential use crosses namespaces with no ReferenceGrant permitting it
 * (gateway-api-ref-not-permitted's finding). The credential rules leave a Secret they cannot find to that finding:
 * the missing grant is certain, while a Secret the workspace does not create may still exist in the cluster.
 */
export function useRefNotPermitted(ctx: RuleContext, use: CredentialUse): boolean {
  const l = use.listener;
  if (!l || use.workloadNamespace === l.owner.namespace) return false;
  const fromKind = l.owner.kind === 'K8sGateway' ? 'Gateway' : 'ListenerSet';
  return !referenceGrantAllows(ctx.index, { fromKind, fromNamespace: l.owner.namespace, toKind: 'Secret', toNamespace: use.workloadNamespace, toName: use.name, target: ctx.config.targetIstioVersion }).allowed;
}

/** The credential use of one certificateRef of a listener (undefined for refs that are not Secrets). */
export function useOfRef(ctx: RuleContext, l: Listener, ref: ObjectRef): CredentialUse | undefined {
  const start = spanIn(l.owner, [...ref.path, 'name']).start;
  return credentialUses(ctx.index, ctx.config).find((u) => u.listener && u.gateway === l.owner && u.span.start === start);
}
