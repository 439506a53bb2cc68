import { bundleTrust, credentialRule, describeCert, relatedFor, type Issue, CREDENTIAL_READS_AND_NOW } from './analysis';
import { CertPool, describeChainError, verifyChain } from '../../certs/chain';
import { parseMaterial } from '../../certs/x509';

/**
 * The client CA must verify the clients that will connect, the way Envoy does: a full chain from the client
 * certificate to a self-signed root in the bundle, every signature checked (no partial chains). meshtls knows those
 * clients from the PKI tree of the server's host (`4_client`); a CA bundle from another tree, or the server's issuer
 * when clients come from elsewhere (istio/istio#29856), rejects them. A bundle that verifies nothing at all is
 * client-ca-no-root's finding and is not repeated here per client.
 */
export const clientCaMismatch = credentialRule({
  id: 'client-ca-mismatch',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  defaultSeverity: 'warning',
  summary: 'The client CA bundle does not verify the client certificates found for the host.',
  evaluate(a, ctx) {
    const { use, ca, clients } = a;
    if ((use.mode !== 'MUTUAL' && use.mode !== 'OPTIONAL_MUTUAL') || !use.primary || ca.length === 0) return [];
    const t = bundleTrust(a, ctx.now);
    const out: Issue[] = [];
    for (const c of clients) {
      // A client sends its own file's further certificates as its chain.
      const sent = c.ref.bytes ? parseMaterial(c.ref.bytes).certs.slice(1).map((x) => x.cert) : [];
      const v = verifyChain({ leaf: c.cert, trusted: t.pool, untrusted: new CertPool(sent), now: ctx.now });
      if (v.ok || !v.error) continue;
      if (!t.hasRoot || v.path.some((p) => t.broken.some((b) => b.entry.cert.sha256 === p.sha256))) continue;
      // Dates are cert-expired's finding when the client certificate itself has run out; a CA's dates are not checked elsewhere.
      if ((v.error.kind === 'expired' || v.error.kind === 'not-yet-valid') && v.error.depth === 0) continue;
      out.push({
        short: `client CA does not verify ${describeCert(c.cert)}`,
        message: `The client CA of credential "${use.name}" does not verify the client certificate ${describeCert(c.cert)} (${describeChainError(v.error)}); CA in ${ca[0].ref.label}, client in ${c.ref.label}.`,
        related: [...relatedFor(c.ref, 'client certificate', c.block), ...relatedFor(ca[0].ref, 'client CA', ca[0].block)],
      });
    }
    return out;
  },
});
