import { credentialRule, describeCert, relatedFor } from './analysis';
import { checkedCerts } from './expired';
import { richView, signedWithSha1 } from '../../certs/rich';

/**
 * SHA-1 signatures are forgeable and rejected by browsers, Go and OpenSSL at security level 1 and above. A root's
 * self-signature is never checked, so self-signed certificates are exempt.
 */
export const certSha1Signature = credentialRule({
  id: 'cert-sha1-signature',
  needsMaterial: true,
  defaultSeverity: 'warning',
  summary: 'A certificate of the credential is signed with SHA-1.',
  evaluate(a) {
    return checkedCerts(a)
      .filter(({ e }) => !e.cert.selfIssued && signedWithSha1(e.cert))
      .map(({ e, role }) => ({
        message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} is signed with SHA-1 (${richView(e.cert).signatureAlgorithm}).`,
        related: relatedFor(e.ref, role, e.block),
      }));
  },
});
