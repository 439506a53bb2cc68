import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet, asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { hasCredential, modeSpan, serverLabel, tlsServers } from './servers';

/**
 * SIMPLE, MUTUAL and OPTIONAL_MUTUAL terminate TLS, so they need a server certificate and key, and the mutual modes a
 * client CA bundle (TLS-08, TLS-09). A credentialName supplies all of them from a Secret; without one the file
 * fields must be set.
 */
export const gatewayTlsCertificateMissing: ResourceRule = {
  id: 'gateway-tls-certificate-missing',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'SIMPLE/MUTUAL servers need a credentialName, or certificate, key (and for MUTUAL, CA) files.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      if (t.mode !== 'SIMPLE' && t.mode !== 'MUTUAL' && t.mode !== 'OPTIONAL_MUTUAL') continue;
      if (hasCredential(t.tls)) continue;
      const label = serverLabel(t.server);
      const mutual = t.mode !== 'SIMPLE';
      const entries = Array.isArray(t.tls.tlsCertificates) ? t.tls.tlsCertificates : [];
      const anyFile = isSet(t.tls.serverCertificate) || isSet(t.tls.privateKey) || isSet(t.tls.caCertificates) || entries.length > 0;
      if (!anyFile) {
        // One finding for the usual case (nothing at all) instead of one per missing file.
        out.push(finding(this, modeSpan(gw, t), `${label} uses mode ${t.mode} but has no credentialName (or certificate files).`));
        continue;
      }
      if (mutual && !isSet(t.tls.caCertificates)) {
        out.push(finding(this, modeSpan(gw, t), `${label} uses mode ${t.mode} without credentialName or caCertificates, so no CA can verify client certificates.`));
      }
      if (entries.length > 0) {
        entries.forEach((e, i) => {
          const entry = asObject(e) ?? {};
          const missing = (['serverCertificate', 'privateKey'] as const).filter((f) => !isSet(entry[f]));
          if (missing.length > 0) {
            out.push(finding(this, spanIn(gw, [...t.path, 'tlsCertificates', i]), `tlsCertificates entry #${i} of ${label} has no ${missing.join(' or ')}.`));
          }
        });
        continue;
      }
      const missing = (['serverCertificate', 'privateKey'] as const).filter((f) => !isSet(t.tls[f]));
      if (missing.length > 0) out.push(finding(this, modeSpan(gw, t), `${label} uses mode ${t.mode} with certificate files but no ${missing.join(' or ')}.`));
    }
    return out;
  },
};
