import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { tlsSettings } from './policies';

/**
 * Client-side MUTUAL without credentialName needs the client certificate and key files (DT-05, DT-06). Mesh mTLS
 * between sidecars is ISTIO_MUTUAL, which needs neither.
 */
export const destinationRuleTlsClientCertificateMissing: ResourceRule = {
  id: 'destination-rule-tls-client-certificate-missing',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'Client TLS mode MUTUAL needs a credentialName, or clientCertificate and privateKey.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const t of tlsSettings(dr)) {
      if (t.mode !== 'MUTUAL' || isSet(t.tls.credentialName)) continue;
      const missing = (['clientCertificate', 'privateKey'] as const).filter((f) => !isSet(t.tls[f]));
      if (missing.length === 0) continue;
      out.push(finding(this, spanIn(dr, [...t.path, 'mode']), `Mode MUTUAL in ${t.where} has no credentialName and no ${missing.join(' or ')}.`));
    }
    return out;
  },
};
