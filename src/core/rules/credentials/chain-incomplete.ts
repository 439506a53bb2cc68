import { credentialRule, describeCert, issuerIn, relatedFor } from './analysis';

/**
 * `cert` holds only the leaf while its issuer is an intermediate: clients that trust only the root fail with
 * "unable to get local issuer certificate" (istio/istio#10001, #38152). Information, not a warning: the setup works for clients
 * that are given the chain, and the walkthrough's own layout (leaf-only `cert`, `cacert` = ca-chain) is not reported.
 */
export const certChainIncomplete = credentialRule({
  id: 'cert-chain-incomplete',
  needsMaterial: true,
  defaultSeverity: 'info',
  summary: 'The server certificate is served without the intermediate that issued it.',
  evaluate({ served, leaf, store, ca }) {
    if (!leaf || served.length !== 1 || leaf.cert.selfIssued) return [];
    const issuer = issuerIn(leaf.cert, store);
    // The walkthrough layout: the intermediate travels in the credential's own CA bundle (ca-chain.cert.pem), the
    // same file the walkthrough hands its clients. That setup works as documented, so it stays quiet.
    if (issuer && (issuer.cert.selfIssued || ca.some((c) => c.cert.sha256 === issuer.cert.sha256))) return [];
    const message = issuer
      ? `${leaf.ref.label} holds only the server certificate ${describeCert(leaf.cert)}; clients that trust only the root also need its intermediate ${describeCert(issuer.cert)}.`
      : `${leaf.ref.label} holds only the server certificate ${describeCert(leaf.cert)}, without the chain to its issuer "${leaf.cert.issuerCommonName ?? leaf.cert.issuer}".`;
    return [{ message, related: [...relatedFor(leaf.ref, 'server certificate', leaf.block), ...(issuer ? relatedFor(issuer.ref, 'its issuer', issuer.block) : [])] }];
  },
});
