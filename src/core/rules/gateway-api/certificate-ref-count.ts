import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { certificateRefs, listenerLabel, listenerTlsMode, tlsOptions, OPTION_TERMINATE_MODE } from '../../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import type { Finding } from '../../types';
import { capital, istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * The CRD allows 64 certificateRefs; istiod (`buildTLS`) serves at most 2 since 1.27 (one RSA and one ECDSA
 * certificate) and exactly 1 in 1.26, and refuses the listener otherwise: ResolvedRefs=False InvalidCertificateRef,
 * Programmed=False, no traffic.
 */
export const gatewayApiCertificateRefCount: WorkspaceRule = {
  id: 'gateway-api-certificate-ref-count',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'More certificateRefs on a listener than Istio serves (2 since 1.27, exactly 1 in 1.26).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    const two = istioAtLeast(ctx.config.targetIstioVersion, ISTIO_CHANGES.twoCertificateRefs);
    for (const l of istioListeners(ctx.index)) {
      if (listenerTlsMode(l) !== 'Terminate') continue;
      const opt = tlsOptions(l).get(OPTION_TERMINATE_MODE)?.value;
      if (opt === 'ISTIO_SIMPLE' || opt === 'ISTIO_MUTUAL') continue; // returns before the refs are read
      const refs = certificateRefs(l);
      if (two && refs.length > 2) {
        out.push(finding(this, spanIn(l.owner, [...l.path, 'tls', 'certificateRefs']), `${capital(listenerLabel(l))} has ${refs.length} certificateRefs, but Istio supports at most 2 (ResolvedRefs=False, InvalidCertificateRef: "TLS mode can only support up to 2 server certificates").`));
      } else if (!two && refs.length > 1) {
        out.push(finding(this, spanIn(l.owner, [...l.path, 'tls', 'certificateRefs']), `${capital(listenerLabel(l))} has ${refs.length} certificateRefs, but Istio ${ctx.config.targetIstioVersion} needs exactly 1 (ResolvedRefs=False, InvalidCertificateRef).`));
      }
    }
    return out;
  },
};
