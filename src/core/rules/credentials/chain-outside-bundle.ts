import { credentialRule, describeCert, issuerIn, relatedFor, type CertEntry } from './analysis';
import { issues } from '../../certs/x509';

/**
 * The served chain leads to no certificate of the credential's own CA bundle (`cacert` / `ca.crt`). In the walkthrough
 * the bundle (ca-chain.cert.pem) is also what clients get to verify the server (`curl --cacert`), so with a bundle from
 * another CA that step fails. Information only: a gateway may deliberately verify clients with a different CA from the
 * one that issued its server certificate (istio/istio#29856), and then this is expected.
 */
export const certChainOutsideBundle = credentialRule({
  id: 'cert-chain-outside-bundle',
  defaultSeverity: 'info',
  summary: "The server certificate's chain does not lead to any certificate in the credential's CA bundle.",
  evaluate({ use, served, leaf, store, ca }) {
    if (!leaf || ca.length === 0) return [];
    // A Gateway API caCertificateRef (a ConfigMap or Secret of its own) is only the client CA, never handed to
    // clients to verify the server, so where the server chain leads says nothing about it.
    if (use.listener && use.resolution.caSource !== use.resolution.source) return [];
    // Walk up from the leaf through the served chain and the issuers the workspace knows, and stop at the bundle.
    const inBundle = (e: CertEntry) => ca.some((c) => c.cert.sha256 === e.cert.sha256 || issues(c.cert, e.cert));
    const seen = new Set<string>();
    let cur: CertEntry | undefined = leaf;
    while (cur && !seen.has(cur.cert.sha256)) {
      if (inBundle(cur)) return [];
      seen.add(cur.cert.sha256);
      cur = issuerIn(cur.cert, [...served, ...store]);
    }
    const bundle = ca[0];
    return [
      {
        message: `The server certificate ${describeCert(leaf.cert)} does not chain to any certificate in the CA bundle ${bundle.ref.label}; clients given that bundle to verify the server will reject it.`,
        related: [...relatedFor(leaf.ref, 'server certificate', leaf.block), ...relatedFor(bundle.ref, 'CA bundle', bundle.block)],
      },
    ];
  },
});
