import { credentialRule, describeCert, isoDay, relatedFor, CREDENTIAL_READS_AND_NOW } from './analysis';
import { checkedCerts, daysBetween } from './expired';

/** A warning `expiryWarningDays` (default 30) before a certificate of the credential expires. */
export const certExpiringSoon = credentialRule({
  id: 'cert-expiring-soon',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  defaultSeverity: 'warning',
  summary: 'A certificate of the credential expires within expiryWarningDays.',
  evaluate(a, ctx) {
    const limit = ctx.now.getTime() + ctx.config.expiryWarningDays * 86_400_000;
    return checkedCerts(a)
      .filter(({ e }) => e.cert.notAfter.getTime() >= ctx.now.getTime() && e.cert.notAfter.getTime() < limit)
      .map(({ e, role }) => ({
        short: `${role} expires in ${daysBetween(ctx.now, e.cert.notAfter)} days`,
        message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} expires on ${isoDay(e.cert.notAfter)}, in ${daysBetween(ctx.now, e.cert.notAfter)} days.`,
        related: relatedFor(e.ref, `${role} ${describeCert(e.cert)}`, e.block),
      }));
  },
});
