import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { certificateRefs, frontendValidation, listenerLabel, listenersOf, listenerTlsMode, OPTION_TERMINATE_MODE, tlsOptions, type ObjectRef } from '../../istio/gateway-api';
import { listenerSetParent, referenceGrantAllows, terminates } from '../../index/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import type { Finding, Fix, RelatedInfo } from '../../types';
import { isSilentlyDropped, useOfRef } from './certificate-ref-verdicts';
import { istioGateways, istioListenerSets, ownerLabel } from './common';

/**
 * A certificateRef or caCertificateRef to another namespace needs a ReferenceGrant in that namespace naming the
 * referrer's kind and namespace (`gatewaycommon/references.go`); without it istiod sets ResolvedRefs=False
 * RefNotPermitted (and, since 1.31, Accepted=False NoValidCACertificate even for a server certificate), and SDS refuses
 * the Secret at push time. A grant that names a CA object by name never matches, because istiod compares the name
 * with a `-cacert` suffix.
 */
export const gatewayApiRefNotPermitted: WorkspaceRule = {
  id: 'gateway-api-ref-not-permitted',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet', 'ReferenceGrant'],
  summary: 'A certificateRef or caCertificateRef to another namespace that no ReferenceGrant permits.',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    const target = ctx.config.targetIstioVersion;
    const accepted = istioAtLeast(target, ISTIO_CHANGES.noValidCaCondition) ? ', Accepted=False NoValidCACertificate' : '';
    const owners: Resource[] = [...istioGateways(ctx.index), ...istioListenerSets(ctx.index)];
    for (const owner of owners) {
      const fromKind = owner.kind === 'K8sGateway' ? 'Gateway' : 'ListenerSet';
      const check = (ref: ObjectRef, caRef: boolean, what: string, holder: Resource = owner) => {
        const ns = ref.namespace;
        if (ns === undefined || ns === owner.namespace || !ref.name) return;
        if (ref.group !== '' || (caRef ? ref.kind !== 'ConfigMap' && ref.kind !== 'Secret' : ref.kind !== 'Secret')) return; // the kind rules report these
        const g = referenceGrantAllows(ctx.index, { fromKind, fromNamespace: owner.namespace, toKind: ref.kind, toNamespace: ns, toName: ref.name, caRef, target });
        if (g.allowed) return;
        const related: RelatedInfo[] = g.near.slice(0, 3).map((r) => ({ ...spanIn(r, ['spec', 'to']), message: `ReferenceGrant ${r.namespace}/${r.name} does not cover ${ref.kind} "${ref.name}"` }));
        const span = spanIn(holder, [...ref.path, 'namespace']);
        const reason = caRef ? `caCertificateRef ${ns}/${ref.name}` : `certificateRef ${ref.name}/${ns}`;
        if (g.namedCaGrant) {
          out.push(finding(this, span, `${reason} is named in ReferenceGrant ${g.namedCaGrant.namespace}/${g.namedCaGrant.name}, but Istio checks CA refs as "${ref.name}-cacert", so only a grant without a name permits it (ResolvedRefs=False RefNotPermitted${accepted}).`, {
            related: [{ ...spanIn(g.namedCaGrant, ['spec', 'to']), message: 'the named grant' }],
          }));
          return;
        }
        out.push(finding(this, span, `${reason} of ${what} is not accessible to a ${fromKind} in namespace "${owner.namespace}" without a ReferenceGrant in "${ns}" (ResolvedRefs=False RefNotPermitted${accepted}).`, {
          related,
          fixes: grantFix(owner, fromKind, ns, ref.kind, caRef ? undefined : ref.name),
        }));
      };
      for (const l of listenersOf(owner)) {
        if (listenerTlsMode(l) !== 'Terminate') continue;
        for (const ref of certificateRefs(l)) {
          if (isSilentlyDropped(ctx, l, ref)) continue;
          // Istio up to 1.31 looks the Secret up before it checks the grant (§3.5; #61303 reverses the order on master
          // only): a Secret the workspace creates only in other namespaces is "not found", InvalidCertificateRef,
          // which credential-wrong-namespace reports. One finding per ref, with the reason Istio sets.
          if (useOfRef(ctx, l, ref)?.resolution.status === 'wrong-namespace') continue;
          check(ref, false, listenerLabel(l));
        }
      }
      if (owner.kind === 'K8sGateway') {
        const seen = new Set<string>();
        for (const fv of [frontendValidation(owner, undefined), ...listenersOf(owner).map((l) => frontendValidation(owner, l.port))]) {
          if (!fv || seen.has(fv.path.join('/')) || fv.refs.length !== 1) continue;
          seen.add(fv.path.join('/'));
          check(fv.refs[0], true, ownerLabel(owner));
        }
      }
      // ListenerSet listeners use the parent Gateway's client validation, but read its CA ref as the ListenerSet: a
      // namespace-less ref means the ListenerSet's namespace, and another namespace needs a grant from the ListenerSet.
      const parent = owner.kind === 'ListenerSet' ? listenerSetParent(ctx.index, owner) : undefined;
      if (parent && istioAtLeast(target, ISTIO_CHANGES.frontendValidation)) {
        const seen = new Set<string>();
        for (const l of listenersOf(owner)) {
          const opt = tlsOptions(l).get(OPTION_TERMINATE_MODE)?.value;
          if (!terminates(l) || opt === 'ISTIO_SIMPLE' || opt === 'ISTIO_MUTUAL') continue;
          const fv = frontendValidation(parent, l.port);
          if (!fv || seen.has(fv.path.join('/')) || fv.refs.length !== 1) continue;
          seen.add(fv.path.join('/'));
          check(fv.refs[0], true, `the client validation of ${ownerLabel(parent)} for ${ownerLabel(owner)}`, parent);
        }
      }
    }
    return out;
  },
};

/** Appends a ReferenceGrant document after the referrer's own document (the fix is certain: it is what Istio asks). */
function grantFix(owner: Resource, fromKind: string, ns: string, toKind: string, toName: string | undefined): Fix[] {
  const d = owner.doc;
  const end = d.base + d.text.length;
  const nl = d.text.endsWith('\n') ? '' : '\n';
  const name = `${owner.name}-${(toName ?? toKind.toLowerCase())}`.slice(0, 253);
  const lines = [
    '---',
    'apiVersion: gateway.networking.k8s.io/v1beta1',
    'kind: ReferenceGrant',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  from:',
    '    - group: gateway.networking.k8s.io',
    `      kind: ${fromKind}`,
    `      namespace: ${owner.namespace}`,
    '  to:',
    '    - group: ""',
    `      kind: ${toKind}`,
    ...(toName ? [`      name: ${toName}`] : []),
  ];
  return [{ title: `Add a ReferenceGrant in namespace "${ns}" for ${fromKind} ${owner.namespace}/${owner.name}`, edits: [{ fileId: d.fileId, start: end, end, newText: `${nl}${lines.join('\n')}\n` }], preferred: true }];
}
