import { bundleTrust, credentialRule, describeCert, isStructural, relatedFor, CREDENTIAL_READS_AND_NOW } from './analysis';
import { CertPool, describeChainError, verifyChain } from '../../certs/chain';

/**
 * Clients given the credential's own CA bundle (`cacert` / `ca.crt`) cannot verify the served chain. In the
 * walkthrough the bundle (ca-chain.cert.pem) is also what clients get to verify the server (`curl --cacert`), so with
 * a bundle from another CA that step fails. Checked as curl/OpenSSL would: the served chain as sent, the bundle as
 * trust store, no partial chains. Information only: a gateway may deliberately verify clients with a different CA
 * from the one that issued its server certificate (istio/istio#29856), and then this is expected.
 */
export const certChainOutsideBundle = credentialRule({
  id: 'cert-chain-outside-bundle',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  defaultSeverity: 'info',
  summary: "The server certificate's chain does not verify against the credential's CA bundle.",
  evaluate(a, ctx) {
    const { served, leaf, ca } = a;
    if (!leaf || ca.length === 0) return [];
    // A Gateway API caCertificateRef (a ConfigMap or Secret of its own) is only the client CA, never handed to
    // clients to verify the server, so where the server chain leads says nothing about it.
    if (a.use.listener && a.use.resolution.caSource !== a.use.resolution.source) return [];
    const t = bundleTrust(a, ctx.now);
    // A bundle that verifies nothing is client-ca-no-root's error; saying it again for the server adds nothing.
    if (!t.hasRoot || t.broken.length) return [];
    const v = verifyChain({ leaf: leaf.cert, trusted: t.pool, untrusted: new CertPool(served.slice(1).map((e) => e.cert)), now: ctx.now });
    if (v.ok || !isStructural(v)) return [];
    const bundle = ca[0];
    return [
      {
        short: 'server chain not verified by the CA bundle',
        message: `Clients given the CA bundle reject the server certificate ${describeCert(leaf.cert)} (${describeChainError(v.error!)}); bundle in ${bundle.ref.label}.`,
        related: [...relatedFor(leaf.ref, 'server certificate', leaf.block), ...relatedFor(bundle.ref, 'CA bundle', bundle.block)],
      },
    ];
  },
});
