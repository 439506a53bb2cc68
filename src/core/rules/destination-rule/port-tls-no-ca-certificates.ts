import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { hostOf, unverifiedTls } from './tls-no-ca-certificates';

/** IST0129: the same as IST0128, per `trafficPolicy.portLevelSettings[]` entry. */
export const destinationRulePortTlsNoCaCertificates: ResourceRule = {
  id: 'destination-rule-port-tls-no-ca-certificates',
  istioCode: 'IST0129',
  // Istio warns, but sidecars since 1.20 verify against the system CA bundle when caCertificates is empty
  // (VERIFY_CERTIFICATE_AT_CLIENT), and Istio's own egress samples rely on that: a note, not a warning.
  defaultSeverity: 'info',
  kinds: ['DestinationRule'],
  summary: 'Port-level client TLS SIMPLE or MUTUAL without caCertificates: the server certificate is not verified.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    const ports = asObject(dr.spec.trafficPolicy)?.portLevelSettings;
    if (!Array.isArray(ports)) return out;
    ports.forEach((p, i) => {
      const settings = asObject(p);
      const mode = unverifiedTls(dr, asObject(settings?.tls));
      if (!mode) return;
      const n = asObject(settings?.port)?.number;
      const port = typeof n === 'number' ? ` port ${n}` : '';
      out.push(finding(this, spanIn(dr, ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls', 'mode']), `TLS mode ${mode} for host "${hostOf(dr)}"${port} sets no caCertificates, so the server is verified against the proxy's system CA bundle at best.`));
    });
    return out;
  },
};
