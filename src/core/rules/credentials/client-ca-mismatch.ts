import { credentialRule, describeCert, issuerIn, relatedFor, type Issue } from './analysis';

/**
 * The client CA must sign the clients that will connect. meshtls knows those clients from the PKI tree of the
 * server's host (`4_client`); a CA bundle from another tree, or the server's issuer when clients come from elsewhere
 * (istio/istio#29856), rejects them.
 */
export const clientCaMismatch = credentialRule({
  id: 'client-ca-mismatch',
  defaultSeverity: 'warning',
  summary: 'The client CA bundle does not verify the client certificates found for the host.',
  evaluate({ use, ca, clients }) {
    if ((use.mode !== 'MUTUAL' && use.mode !== 'OPTIONAL_MUTUAL') || !use.primary || ca.length === 0) return [];
    const out: Issue[] = [];
    for (const c of clients) {
      if (issuerIn(c.cert, ca)) continue;
      out.push({
        message: `The client CA of credential "${use.name}" in ${ca[0].ref.label} does not verify the client certificate ${describeCert(c.cert)} in ${c.ref.label}.`,
        related: [...relatedFor(c.ref, 'client certificate', c.block), ...relatedFor(ca[0].ref, 'client CA', ca[0].block)],
      });
    }
    return out;
  },
});
