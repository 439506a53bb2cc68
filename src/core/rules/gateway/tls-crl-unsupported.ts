import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { hasCredential, serverLabel, tlsServers } from './servers';

/**
 * `caCrl` checks client certificates, so it belongs to the mutual modes with file-based certificates. With a
 * credentialName the CRL must come from the Secret (`ca.crl`/`crl`), and SIMPLE never asks for client certificates
 * (TLS-11, TLS-12).
 */
export const gatewayTlsCrlUnsupported: ResourceRule = {
  id: 'gateway-tls-crl-unsupported',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'caCrl cannot be combined with credentialName or with mode SIMPLE.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      if (!isSet(t.tls.caCrl) || t.mode === 'ISTIO_MUTUAL') continue;
      const span = spanIn(gw, [...t.path, 'caCrl']);
      const passthrough = t.mode === 'PASSTHROUGH' || t.mode === 'AUTO_PASSTHROUGH';
      // With SIMPLE/MUTUAL and a credentialName the webhook stops before the CRL checks, so Istio accepts it.
      if (passthrough && isSet(t.tls.credentialName)) {
        out.push(finding(this, span, `${serverLabel(t.server)} sets caCrl together with credentialName; put the CRL into the Secret instead.`));
      } else if (t.mode === 'SIMPLE' && !hasCredential(t.tls)) {
        out.push(finding(this, span, `${serverLabel(t.server)} sets caCrl with mode SIMPLE, which does not verify client certificates.`));
      }
    }
    return out;
  },
};
