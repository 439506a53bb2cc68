// Istio releases whose Gateway API behaviour differs (../shared/reference/gateway-api-istio.md §8). Only the minor
// version matters: every difference meshtls models arrived in a x.y.0 release.

export interface IstioVersion {
  major: number;
  minor: number;
}

/** `1.31`, `1.31.2`, `v1.30` → {1, 31}; anything else → undefined. */
export function parseIstioVersion(text: string): IstioVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** True when `target` is `at` or later (`at` is `1.27`-style). An unparseable target counts as the newest. */
export function istioAtLeast(target: string, at: string): boolean {
  const t = parseIstioVersion(target);
  const a = parseIstioVersion(at)!;
  if (!t) return true;
  return t.major !== a.major ? t.major > a.major : t.minor >= a.minor;
}

/**
 * The releases in which a Gateway API behaviour changed, by what changed. Rules read these instead of comparing
 * version strings themselves, so the docs page (docs/gateway-api-versions.md) and the code name the same releases.
 */
export const ISTIO_CHANGES = {
  /** Up to 2 certificateRefs (one RSA, one ECDSA); 1.26 wanted exactly one. */
  twoCertificateRefs: '1.27',
  /** spec.tls.frontend client validation is read at all. */
  frontendValidation: '1.28',
  /** A `kind: Secret` caCertificateRef is served by SDS (refused at runtime on 1.28–1.30). */
  secretCaAtRuntime: '1.31',
  /** gateway.istio.io/tls-cipher-suites is read. */
  cipherSuitesOption: '1.29',
  /** Several `to` entries of one ReferenceGrant are OR-ed (before, only the last counted). */
  grantToEntriesOred: '1.30',
  /** HTTPS/TLS listeners without `tls` are dropped (log line only). */
  httpsWithoutTlsDropped: '1.31',
  /** Listener Accepted=False NoValidCACertificate on CA and grant errors. */
  noValidCaCondition: '1.31',
  /** AllowInsecureFallback frontend validation mode. */
  allowInsecureFallback: '1.31',
} as const;
