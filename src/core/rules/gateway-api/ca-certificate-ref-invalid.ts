import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { frontendValidation, listenersOf, type FrontendValidation } from '../../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import type { Finding } from '../../types';
import { istioGateways, GATEWAY_API_RULE_READS } from './common';
import { terminates } from '../../index/gateway-api';

/**
 * `spec.tls.frontend` `caCertificateRefs` as istiod reads them (`resolveGatewayTLS`, `buildCaCertificateReference`,
 * since 1.28): exactly one ref although the CRD allows 16 ("only one caCertificateRef is supported",
 * InvalidCACertificateRef); a core ConfigMap or Secret (group exactly "", else InvalidCACertificateKind). A
 * `kind: Secret` CA passes status but SDS refused it at runtime before 1.31. On 1.31+ each of these also sets the
 * listener Accepted=False NoValidCACertificate; in every release the listener is not programmed.
 */
export const gatewayApiCaCertificateRefInvalid: WorkspaceRule = {
  id: 'gateway-api-ca-certificate-ref-invalid',
  defaultSeverity: 'error',
  kinds: ['K8sGateway'],
  summary: 'A client-validation caCertificateRefs list Istio refuses: more than one ref, or not a core ConfigMap/Secret.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    const target = ctx.config.targetIstioVersion;
    if (!istioAtLeast(target, ISTIO_CHANGES.frontendValidation)) return out; // not read at all: client-validation-ignored says so
    const accepted = istioAtLeast(target, ISTIO_CHANGES.noValidCaCondition) ? ', Accepted=False NoValidCACertificate' : '';
    for (const gw of istioGateways(ctx.index)) {
      const seen = new Set<string>();
      const validations: FrontendValidation[] = [];
      const add = (fv: FrontendValidation | undefined) => {
        if (fv && !seen.has(fv.path.join('/'))) {
          seen.add(fv.path.join('/'));
          validations.push(fv);
        }
      };
      // Only what a terminating listener uses is resolved: istiod reads the validation per listener.
      for (const l of listenersOf(gw)) if (terminates(l)) add(frontendValidation(gw, l.port));
      for (const fv of validations) out.push(...checkValidation(this, gw, fv, target, accepted));
    }
    return out;
  },
};

function checkValidation(rule: WorkspaceRule, gw: Resource, fv: FrontendValidation, target: string, accepted: string): Finding[] {
  const out: Finding[] = [];
  if (fv.refs.length > 1) {
    out.push(finding(rule, spanIn(gw, [...fv.path, 'caCertificateRefs']), `Client validation lists ${fv.refs.length} caCertificateRefs, but Istio supports only one (ResolvedRefs=False InvalidCACertificateRef${accepted}).`));
    return out;
  }
  for (const ref of fv.refs) {
    const ns = ref.namespace ?? gw.namespace;
    if (ref.group !== '' || (ref.kind !== 'ConfigMap' && ref.kind !== 'Secret')) {
      const field = ref.group !== '' ? 'group' : 'kind';
      const fixes = ref.group === 'core' && (ref.kind === 'ConfigMap' || ref.kind === 'Secret') ? [{ title: 'Change group to ""', edits: [{ ...spanIn(gw, [...ref.path, 'group']), newText: '""' }], preferred: true }] : [];
      out.push(finding(rule, spanIn(gw, [...ref.path, field]), `caCertificateRef ${ref.group}/${ref.kind}/${ref.name}.${ns} is not a core ConfigMap or Secret, so Istio refuses it (ResolvedRefs=False InvalidCACertificateKind${accepted}).`, { fixes }));
    } else if (ref.kind === 'Secret' && !istioAtLeast(target, ISTIO_CHANGES.secretCaAtRuntime)) {
      out.push(finding(rule, spanIn(gw, [...ref.path, 'kind']), `caCertificateRef Secret ${ns}/${ref.name} passes status, but Istio ${target} refuses Secret CAs at runtime (served from ${ISTIO_CHANGES.secretCaAtRuntime} on), so client validation fails; use a ConfigMap.`, { severity: 'warning' }));
    }
  }
  return out;
}
