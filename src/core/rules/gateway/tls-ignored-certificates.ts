import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { serverLabel, tlsServers } from './servers';

const FIELDS = ['credentialName', 'credentialNames', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'caCrl'] as const;

/**
 * PASSTHROUGH (also the default when mode is omitted) and AUTO_PASSTHROUGH forward TLS untouched, so certificates
 * on the server are ignored (TLS-05). The common cause is a forgotten `mode: SIMPLE` or `mode: MUTUAL`.
 */
export const gatewayTlsIgnoredCertificates: ResourceRule = {
  id: 'gateway-tls-ignored-certificates',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  summary: 'Passthrough servers (including ones with no tls mode) ignore credentialName and certificate files.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const t of tlsServers(gw)) {
      if (t.mode !== 'PASSTHROUGH' && t.mode !== 'AUTO_PASSTHROUGH') continue;
      const set = FIELDS.filter((f) => isSet(t.tls[f]));
      if (set.length === 0) continue;
      const how = t.tls.mode === undefined || t.tls.mode === null ? 'has no tls mode, so it defaults to PASSTHROUGH and' : `uses mode ${t.mode}, which`;
      const value = typeof t.tls[set[0]] === 'string' ? ` "${t.tls[set[0]] as string}"` : '';
      const more = set.length > 1 ? ` (and ${set.slice(1).join(', ')})` : '';
      out.push(finding(this, spanIn(gw, [...t.path, set[0]]), `${serverLabel(t.server)} ${how} ignores ${set[0]}${value}${more}.`));
    }
    return out;
  },
};
