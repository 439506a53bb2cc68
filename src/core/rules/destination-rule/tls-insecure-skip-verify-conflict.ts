import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { tlsSettings } from './policies';

/**
 * insecureSkipVerify turns server verification off, so settings that only serve verification contradict it: a CA
 * bundle or subjectAltNames, and for SIMPLE also a credentialName (DT-02, DT-03).
 */
export const destinationRuleTlsInsecureSkipVerifyConflict: ResourceRule = {
  id: 'destination-rule-tls-insecure-skip-verify-conflict',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'insecureSkipVerify: true cannot be combined with caCertificates, subjectAltNames (or, for SIMPLE, credentialName).',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const t of tlsSettings(dr)) {
      if (t.tls.insecureSkipVerify !== true || (t.mode !== 'SIMPLE' && t.mode !== 'MUTUAL')) continue;
      const fields = t.mode === 'SIMPLE' ? (['caCertificates', 'credentialName', 'subjectAltNames'] as const) : (['caCertificates', 'subjectAltNames'] as const);
      const set = fields.filter((f) => isSet(t.tls[f]));
      if (set.length === 0) continue;
      out.push(finding(this, spanIn(dr, [...t.path, 'insecureSkipVerify']), `insecureSkipVerify in ${t.where} disables the verification that ${set.join(' and ')} configure.`));
    }
    return out;
  },
};
