import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { serverLabel, tlsServers } from './servers';

/** The cipher suites Istio's gateway accepts (pkg/config/security). Anything else is dropped with a warning. */
export const ISTIO_CIPHERS: ReadonlySet<string> = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
]);
const OPERATOR = /^[^a-zA-Z0-9]/;

/**
 * Cipher settings that do not take effect (TLS-01..TLS-03): unknown or repeated suite names are ignored, and TLS 1.0/1.1
 * as a minimum needs explicit ciphers because Envoy's defaults no longer include compatible ones.
 */
export const gatewayTlsCipherSuitesInvalid: ResourceRule = {
  id: 'gateway-tls-cipher-suites-invalid',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  summary: 'Cipher suites must be names Istio knows, listed once; TLS 1.0/1.1 needs explicit cipher suites.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      const suites = Array.isArray(t.tls.cipherSuites) ? t.tls.cipherSuites : [];
      const min = t.tls.minProtocolVersion;
      if ((min === 'TLSV1_0' || min === 'TLSV1_1') && suites.length === 0) {
        out.push(finding(this, spanIn(gw, [...t.path, 'minProtocolVersion']), `${serverLabel(t.server)} allows ${min} without cipherSuites, but the default suites do not support it.`));
      }
      const seen = new Set<string>();
      suites.forEach((c, i) => {
        if (typeof c !== 'string') return;
        const span = spanIn(gw, [...t.path, 'cipherSuites', i]);
        // Istio passes "", "ALL" and operator entries ("-X", "+X", "!X") through unchecked.
        const unchecked = c === '' || c === 'ALL' || OPERATOR.test(c);
        if (!unchecked && !ISTIO_CIPHERS.has(c)) out.push(finding(this, span, `Cipher suite "${c}" is not supported by Istio and will be ignored.`));
        else if (seen.has(c)) out.push(finding(this, span, `Cipher suite "${c}" is listed more than once.`));
        seen.add(c);
      });
    }
    return out;
  },
};
