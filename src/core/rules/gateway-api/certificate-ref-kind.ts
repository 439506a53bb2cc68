import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { certificateRefs, listenerLabel, listenerTlsMode } from '../../istio/gateway-api';
import { isSilentlyDropped } from './certificate-ref-verdicts';
import type { Finding } from '../../types';
import { istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * istiod reads a certificateRef only when it is a core Secret: `group` exactly "" and `kind: Secret` (the
 * defaults). `group: core`, which the CRD pattern allows, is refused too. Result: ResolvedRefs=False
 * InvalidCertificateRef "invalid certificate reference …, only secret is allowed".
 */
export const gatewayApiCertificateRefKind: WorkspaceRule = {
  id: 'gateway-api-certificate-ref-kind',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'A certificateRef that is not a core Secret (group "" and kind Secret).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      if (listenerTlsMode(l) !== 'Terminate') continue;
      for (const ref of certificateRefs(l)) {
        if (ref.group === '' && ref.kind === 'Secret') continue;
        if (isSilentlyDropped(ctx, l, ref)) continue; // gateway-api-certificate-ref-silently-dropped: no condition then
        const bad = ref.group !== '' ? 'group' : 'kind';
        const ns = ref.namespace ?? l.owner.namespace;
        const fixes = ref.group === 'core' && ref.kind === 'Secret' ? [{ title: 'Change group to ""', edits: [{ ...spanIn(l.owner, [...ref.path, 'group']), newText: '""' }], preferred: true }] : [];
        out.push(
          finding(this, spanIn(l.owner, [...ref.path, bad]), `certificateRef ${ref.group}/${ref.kind}/${ref.name}.${ns} of ${listenerLabel(l)} is not a core Secret, so Istio refuses it (ResolvedRefs=False, InvalidCertificateRef: "only secret is allowed").`, { fixes }),
        );
      }
    }
    return out;
  },
};
