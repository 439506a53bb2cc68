import { credentialRule, describeCert, isoDay, relatedFor, type Analysis, type CertEntry, CREDENTIAL_READS_AND_NOW } from './analysis';

const DAY = 86_400_000;

/** Certificates whose validity matters for this credential: the served chain and the client CA bundle. */
export function checkedCerts(a: Analysis): { e: CertEntry; role: string }[] {
  return [...a.served.map((e, i) => ({ e, role: i === 0 ? 'server certificate' : 'chain certificate' })), ...a.ca.map((e) => ({ e, role: 'CA certificate' }))];
}

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY);
}

/** Since Istio 1.18 an expired certificate is not loaded at all (istio/istio#47104): TLS fails outright. */
export const certExpired = credentialRule({
  id: 'cert-expired',
  needsMaterial: true,
  reads: CREDENTIAL_READS_AND_NOW,
  istioCode: 'IST0161',
  defaultSeverity: 'error',
  summary: 'A certificate of the credential has expired.',
  evaluate(a, ctx) {
    return checkedCerts(a)
      .filter(({ e }) => e.cert.notAfter.getTime() < ctx.now.getTime())
      .map(({ e, role }) => ({
        short: `${role} expired ${daysBetween(e.cert.notAfter, ctx.now)} days ago`,
        message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} expired on ${isoDay(e.cert.notAfter)} (${daysBetween(e.cert.notAfter, ctx.now)} days ago).`,
        related: relatedFor(e.ref, `${role} ${describeCert(e.cert)}`, e.block),
      }));
  },
});
