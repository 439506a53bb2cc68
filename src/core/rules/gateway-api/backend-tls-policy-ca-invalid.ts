import { GATEWAY_API_RULE_READS } from './common';
import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import type { Finding } from '../../types';

/**
 * BackendTLSPolicy (gateway → backend TLS, `gateway/backend_policies.go`): istiod uses only the first
 * `validation.caCertificateRefs` entry and only a core ConfigMap (a Secret gets ResolvedRefs=False InvalidKind);
 * `wellKnownCACertificates` other than `System` is Accepted=False Invalid. Either blocks traffic to the backend: the
 * policy is not Accepted (NoValidCACertificate) and istiod pushes an `invalid://` credential.
 */
export const gatewayApiBackendTlsPolicyCaInvalid: WorkspaceRule = {
  id: 'gateway-api-backend-tls-policy-ca-invalid',
  defaultSeverity: 'error',
  kinds: ['BackendTLSPolicy'],
  summary: 'A BackendTLSPolicy CA that Istio refuses (not a ConfigMap, or an unknown wellKnownCACertificates) or ignores (refs after the first).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const p of ctx.index.ofKind('BackendTLSPolicy')) {
      if (p.doc.templated || p.doc.errors.length) continue;
      const v = isObject(p.spec.validation) ? p.spec.validation : undefined;
      if (!v) continue;
      const base = ['spec', 'validation'];
      if (typeof v.wellKnownCACertificates === 'string' && v.wellKnownCACertificates !== 'System') {
        out.push(finding(this, spanIn(p, [...base, 'wellKnownCACertificates']), `wellKnownCACertificates "${v.wellKnownCACertificates}" is not "System", so Istio rejects the policy (Accepted=False Invalid) and traffic to its targets fails.`));
      }
      const refs = Array.isArray(v.caCertificateRefs) ? v.caCertificateRefs : [];
      refs.forEach((r, i) => {
        if (!isObject(r)) return;
        const kind = typeof r.kind === 'string' ? r.kind : '';
        const group = typeof r.group === 'string' ? r.group : '';
        if (i > 0) {
          out.push(finding(this, spanIn(p, [...base, 'caCertificateRefs', i]), `Istio uses only the first caCertificateRef, so ${kind || 'this ref'} "${String(r.name ?? '')}" is ignored ("warning: only the first caCertificateRefs will be used").`, { severity: 'warning' }));
          return;
        }
        if (kind !== 'ConfigMap' || group !== '') {
          out.push(finding(this, spanIn(p, [...base, 'caCertificateRefs', i, kind !== 'ConfigMap' ? 'kind' : 'group']), `caCertificateRef ${group}/${kind}/${String(r.name ?? '')} is not a core ConfigMap, so Istio refuses it (ResolvedRefs=False InvalidKind, Accepted=False NoValidCACertificate) and blocks traffic to the backend.`));
        }
      });
    }
    return out;
  },
};
