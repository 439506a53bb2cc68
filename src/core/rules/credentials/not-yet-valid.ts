import { credentialRule, describeCert, isoDay, relatedFor, CREDENTIAL_READS_AND_NOW } from './analysis';
import { checkedCerts } from './expired';

/** A certificate whose notBefore lies in the future is rejected by every client until then. */
export const certNotYetValid = credentialRule({
  id: 'cert-not-yet-valid',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  istioCode: 'IST0161',
  defaultSeverity: 'error',
  summary: 'A certificate of the credential is not valid yet.',
  evaluate(a, ctx) {
    return checkedCerts(a)
      .filter(({ e }) => e.cert.notBefore.getTime() > ctx.now.getTime())
      .map(({ e, role }) => ({
        short: `${role} not valid yet`,
        message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} is not valid until ${isoDay(e.cert.notBefore)}.`,
        related: relatedFor(e.ref, `${role} ${describeCert(e.cert)}`, e.block),
      }));
  },
});
