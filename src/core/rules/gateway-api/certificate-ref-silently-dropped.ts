import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel } from '../../istio/gateway-api';
import type { Finding } from '../../types';
import { capital, istioListeners, GATEWAY_API_RULE_READS } from './common';
import { silentlyDroppedRef, type RefProblem } from './certificate-ref-verdicts';

const WHY: Record<RefProblem, string> = {
  kind: 'is not a core Secret',
  'not-permitted': 'is in another namespace that no ReferenceGrant opens to it',
  'not-found': 'names a Secret that does not exist',
  keys: 'names a Secret without cert/key or tls.crt/tls.key',
  'key-pair': 'holds a key that does not load with its certificate',
};

/**
 * With two certificateRefs (1.27+, one RSA and one ECDSA certificate) istiod's `buildTLS` fails the listener only when
 * neither ref resolves. When exactly one does, the error of the other is discarded and no condition is set; and the
 * credential is taken from slot 0 of the result, so a bad *first* ref leaves the listener with an empty credentialName
 * while it reports Accepted, Programmed and ResolvedRefs True (gateway-api-istio.md §3.5, §10 item 2).
 */
export const gatewayApiCertificateRefSilentlyDropped: WorkspaceRule = {
  id: 'gateway-api-certificate-ref-silently-dropped',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet', 'Secret', 'ReferenceGrant'],
  summary: 'One of two certificateRefs is bad: Istio is silent, and a bad first ref leaves the listener without a certificate.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      const s = silentlyDroppedRef(ctx, l);
      if (!s) continue;
      const bad = s.bad.ref;
      const field = s.bad.problem === 'kind' ? (bad.group !== '' ? 'group' : 'kind') : s.bad.problem === 'not-permitted' ? 'namespace' : 'name';
      const label = `certificateRef ${bad.kind === 'Secret' && bad.group === '' ? '' : `${bad.group}/${bad.kind}/`}${bad.name}`;
      const good = s.good.ref.name;
      const effect = s.first
        ? `Istio sets no condition and builds the listener with an empty credential (it takes the failed first slot), so "${good}" is not served either and TLS handshakes fail`
        : `Istio discards the error without a condition and the listener serves only "${good}"`;
      const related = [{ ...spanIn(l.owner, [...s.good.ref.path, 'name']), message: `the certificateRef that resolves` }];
      if (s.bad.use?.resolution.source?.origin) related.push({ ...s.bad.use.resolution.source.origin, message: `Secret ${bad.name}` });
      out.push(finding(this, spanIn(l.owner, [...bad.path, field]), `${capital(listenerLabel(l))} has two certificateRefs and ${s.first ? 'the first' : 'the second'}, ${label}, ${WHY[s.bad.problem as RefProblem]}: ${effect}.`, { related }));
    }
    return out;
  },
};
