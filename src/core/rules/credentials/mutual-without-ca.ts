import { credentialRule } from './analysis';
import { spanIn, type Resource } from '../../istio/resource';
import { frontendValidation, type ObjectRef } from '../../istio/gateway-api';
import type { CredentialUse } from '../../index/credentials';
import type { WorkspaceIndex } from '../../index/workspace-index';
import { listenerSetParent } from '../../index/gateway-api';

/**
 * The caCertificateRef that applies to a Gateway API listener use, with the Gateway that holds it: the listener's own
 * Gateway, or for a ListenerSet listener the parent Gateway (whose `spec.tls` ListenerSets use).
 */
function caCertificateRefOf(index: WorkspaceIndex, use: CredentialUse): (ObjectRef & { owner: Resource }) | undefined {
  const gw = use.gateway.kind === 'ListenerSet' ? listenerSetParent(index, use.gateway) : use.gateway.kind === 'K8sGateway' ? use.gateway : undefined;
  if (!gw) return undefined;
  const fv = frontendValidation(gw, use.listener?.port);
  return fv && fv.refs.length === 1 ? { ...fv.refs[0], owner: gw } : undefined;
}

/**
 * MUTUAL and OPTIONAL_MUTUAL verify client certificates against the CA from `<name>-cacert` or the credential's own
 * `cacert`/`ca.crt`. Without one, istiod only logs "failed to fetch ca certificate" and the listener never gets its
 * validation context: every handshake fails (istio/istio#6244).
 */
export const mutualWithoutCa = credentialRule({
  id: 'mutual-without-ca',
  defaultSeverity: 'error',
  summary: 'A MUTUAL or OPTIONAL_MUTUAL server whose credential has no client CA.',
  evaluate({ use }, ctx) {
    const r = use.resolution;
    // cert-manager writes ca.crt for CA issuers; its contents are not in the workspace to check.
    if ((use.mode !== 'MUTUAL' && use.mode !== 'OPTIONAL_MUTUAL') || !use.primary || !r.source || r.ca || r.source.kind === 'cert-manager') return [];
    // A credential in the wrong namespace is one mistake with one finding (credential-wrong-namespace).
    if (r.status !== 'resolved') return [];
    const caRef = use.listener ? caCertificateRefOf(ctx.index, use) : undefined;
    if (caRef) {
      if (r.caSource) return []; // found but without keys: credential-secret-keys reports it
      // A namespace-less CA ref resolves in the listener owner's namespace: the ListenerSet's for its listeners.
      const ns = caRef.namespace ?? use.gateway.namespace;
      const forSet = use.gateway.kind === 'ListenerSet' && caRef.namespace === undefined ? ` for listener "${use.listener!.name ?? use.listener!.index}" of ListenerSet ${use.gateway.namespace}/${use.gateway.name}, which reads the Gateway's namespace-less caCertificateRef in its own namespace` : '';
      return [{ message: `caCertificateRef ${caRef.kind} ${ns}/${caRef.name} was not found${forSet}, so Istio refuses the listener (ResolvedRefs=False InvalidCACertificateRef, "${caRef.kind.toLowerCase()} ${ns}/${caRef.name} not found").`, span: spanIn(caRef.owner, [...caRef.path, 'name']), related: use.gateway.kind === 'ListenerSet' ? [{ ...spanIn(use.gateway, [...use.listener!.path, 'name']), message: `listener of ListenerSet ${use.gateway.namespace}/${use.gateway.name}` }] : undefined }];
    }
    // A separate -cacert Secret without CA keys is credential-secret-keys' finding.
    if (r.caSource && r.caSource !== r.source) return [];
    const where = r.source.kind === 'config' ? 'its .meshtls.yaml entry has no "cacert"' : r.source.kind === 'pki-tree' ? `${r.source.tree?.dir}/2_intermediate/certs/ca-chain.cert.pem is missing` : `neither "${use.name}-cacert" nor "${use.name}" has "cacert" or "ca.crt"`;
    return [{ short: 'no client CA', message: `Server mode ${use.mode} needs a client CA, but credential "${use.name}" has none: ${where}.`, related: [{ ...r.source.origin, message: r.source.description }] }];
  },
});
