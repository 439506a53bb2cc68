import { credentialRule, describeCert, relatedFor } from './analysis';
import { checkedCerts } from './expired';

/**
 * RSA keys under 2048 bits in the chain or the CA bundle are refused by current OpenSSL security levels, browsers and
 * Go. The served certificate's own key is cert-key-unsupported's: Envoy does not load it at all.
 */
export const certWeakKey = credentialRule({
  id: 'cert-weak-key',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'A chain or CA certificate of the credential has an RSA key shorter than 2048 bits.',
  evaluate(a) {
    return checkedCerts(a)
      .filter(({ e }) => e !== a.leaf && e.cert.key.type === 'rsa' && (e.cert.key.bits ?? 0) < 2048)
      .map(({ e, role }) => ({
        message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} has a ${e.cert.key.bits}-bit RSA key; use at least 2048 bits.`,
        related: relatedFor(e.ref, role, e.block),
      }));
  },
});
