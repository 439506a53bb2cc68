import { finding, type ResourceRule } from '../types';
import { spanIn, type JsonObject, type Resource } from '../../istio/resource';
import { asObject, isSet } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';

/**
 * Istio's CaCertificateAnalyzer condition: SIMPLE or MUTUAL client TLS with no `caCertificates`, unless the
 * certificates come from a `credentialName` and the rule is bound to workloads by a `workloadSelector` (then the
 * credential's own CA is used). Subset traffic policies are not looked at, as in Istio.
 */
export function unverifiedTls(dr: Resource, tls: JsonObject | undefined): string | undefined {
  if (!tls) return undefined;
  const mode = tls.mode;
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return undefined;
  if (isSet(tls.caCertificates)) return undefined;
  if (isSet(tls.credentialName) && dr.spec.workloadSelector !== undefined && dr.spec.workloadSelector !== null) return undefined;
  return mode;
}

export function hostOf(dr: Resource): string {
  return typeof dr.spec.host === 'string' ? dr.spec.host : '';
}

/** IST0128: the top-level trafficPolicy originates TLS without a CA to check the server against. */
export const destinationRuleTlsNoCaCertificates: ResourceRule = {
  id: 'destination-rule-tls-no-ca-certificates',
  istioCode: 'IST0128',
  // Istio warns, but sidecars since 1.20 verify against the system CA bundle when caCertificates is empty
  // (VERIFY_CERTIFICATE_AT_CLIENT), and Istio's own egress samples rely on that: a note, not a warning.
  defaultSeverity: 'info',
  kinds: ['DestinationRule'],
  summary: 'Client TLS SIMPLE or MUTUAL without caCertificates: the server certificate is not verified.',
  scope: 'resource',
  check(dr) {
    const path: PathSegment[] = ['spec', 'trafficPolicy', 'tls'];
    const mode = unverifiedTls(dr, asObject(asObject(dr.spec.trafficPolicy)?.tls));
    if (!mode) return [];
    return [finding(this, spanIn(dr, [...path, 'mode']), `TLS mode ${mode} for host "${hostOf(dr)}" sets no caCertificates, so the server is verified against the proxy's system CA bundle at best.`)];
  },
};
