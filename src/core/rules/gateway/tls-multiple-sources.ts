import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { serverLabel, tlsServers } from './servers';

/**
 * A server takes its certificate from exactly one place: credentialName, credentialNames, tlsCertificates, or the
 * serverCertificate/privateKey file pair (TLS-06). A lone serverCertificate does not count as a source.
 * credentialName with credentialNames, and credentialNames with tlsCertificates, are the Gateway CRD's own CEL rules
 * (schema-cel-violation), so those pairs are left to it; the webhook's other pairs stay here. (The CRD has no rule
 * for credentialName with tlsCertificates, although one of its messages names that pair.)
 */
const CRD_PAIRS = new Set(['credentialName+credentialNames', 'credentialNames+tlsCertificates', 'credentialNames+credentialName', 'tlsCertificates+credentialNames']);

export const gatewayTlsMultipleSources: ResourceRule = {
  id: 'gateway-tls-multiple-sources',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Use only one of credentialName, credentialNames, tlsCertificates or serverCertificate/privateKey.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      // ISTIO_MUTUAL has its own rule (gateway-tls-istio-mutual-certificate), as in the webhook.
      if (t.mode === 'ISTIO_MUTUAL') continue;
      const sources: string[] = [];
      if (isSet(t.tls.credentialName)) sources.push('credentialName');
      if (isSet(t.tls.credentialNames)) sources.push('credentialNames');
      if (isSet(t.tls.tlsCertificates)) sources.push('tlsCertificates');
      if (isSet(t.tls.serverCertificate) && isSet(t.tls.privateKey)) sources.push('serverCertificate');
      if (sources.length < 2) continue;
      const first = spanIn(gw, [...t.path, sources[0]], 'key');
      for (const extra of sources.slice(1)) {
        if (CRD_PAIRS.has(`${sources[0]}+${extra}`)) continue;
        const name = extra === 'serverCertificate' ? 'serverCertificate/privateKey' : extra;
        out.push(
          finding(this, spanIn(gw, [...t.path, extra], 'key'), `${serverLabel(t.server)} sets ${name} as well as ${sources[0]}; only one certificate source is allowed.`, {
            related: [{ ...first, message: `The first certificate source, ${sources[0]}.` }],
          }),
        );
      }
    }
    return out;
  },
};
