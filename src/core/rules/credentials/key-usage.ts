import { credentialRule, describeCert, relatedFor, type Issue } from './analysis';
import { allowsClientAuth, allowsServerAuth } from '../../certs/x509';

/**
 * An extendedKeyUsage extension limits what a certificate may do: a server certificate without serverAuth, or a
 * client certificate without clientAuth, is rejected by verifiers that enforce it (Go, browsers, Envoy for clients).
 */
export const certKeyUsage = credentialRule({
  id: 'cert-key-usage',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'A server certificate without serverAuth, or a client certificate without clientAuth, extended key usage.',
  evaluate({ use, leaf, clients }) {
    const out: Issue[] = [];
    if (leaf && !allowsServerAuth(leaf.cert)) {
      out.push({ message: `The server certificate ${describeCert(leaf.cert)} in ${leaf.ref.label} does not allow serverAuth.`, related: relatedFor(leaf.ref, 'server certificate', leaf.block) });
    }
    if (use.mode === 'MUTUAL' || use.mode === 'OPTIONAL_MUTUAL') {
      for (const c of clients) {
        if (!allowsClientAuth(c.cert)) out.push({ message: `The client certificate ${describeCert(c.cert)} in ${c.ref.label} does not allow clientAuth.`, related: relatedFor(c.ref, 'client certificate', c.block) });
      }
    }
    return out;
  },
});
