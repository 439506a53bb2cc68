import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { tlsSettings } from './policies';

const FILE_FIELDS = ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'] as const;

/**
 * With credentialName, the client certificate, key, CA and CRL all come from the Secret, so the file fields must stay
 * empty (DT-04); a `configmap://` credential must be `configmap://<own namespace>/<name>` (DT-01).
 */
export const destinationRuleTlsCredentialConflict: ResourceRule = {
  id: 'destination-rule-tls-credential-conflict',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'With credentialName, leave clientCertificate, privateKey, caCertificates and caCrl empty.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const t of tlsSettings(dr)) {
      const cn = t.tls.credentialName;
      if (typeof cn !== 'string' || cn === '') continue;
      if (cn.startsWith('configmap://')) {
        const rest = cn.slice('configmap://'.length);
        const slash = rest.indexOf('/');
        const ns = slash < 0 ? '' : rest.slice(0, slash);
        const span = spanIn(dr, [...t.path, 'credentialName']);
        if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) >= 0) {
          out.push(finding(this, span, `credentialName "${cn}" is not of the form configmap://<namespace>/<name>.`));
        } else if (ns !== dr.namespace) {
          out.push(finding(this, span, `credentialName "${cn}" points at namespace "${ns}", but it must be the DestinationRule's namespace "${dr.namespace}".`));
        }
      }
      if (t.mode !== 'SIMPLE' && t.mode !== 'MUTUAL') continue;
      for (const f of FILE_FIELDS) {
        if (!isSet(t.tls[f])) continue;
        out.push(finding(this, spanIn(dr, [...t.path, f], 'key'), `${f} in ${t.where} conflicts with credentialName "${cn}", which already supplies it.`));
      }
    }
    return out;
  },
};
