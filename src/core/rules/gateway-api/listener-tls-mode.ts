import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import { certificateRefs, listenerLabel, listenerTlsMode, tlsOptions } from '../../istio/gateway-api';
import type { Finding } from '../../types';
import { capital, istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * `tls` per mode, where the API server's CEL rules (reported by schema-cel-violation) let a mistake through:
 * certificateRefs on a Passthrough listener are never read, and Terminate with only `options` is accepted with no
 * server certificate at all.
 */
export const gatewayApiListenerTlsMode: WorkspaceRule = {
  id: 'gateway-api-listener-tls-mode',
  defaultSeverity: 'warning',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'A Gateway API listener tls block Istio ignores in part: refs on Passthrough, Terminate with only options.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      if (!l.tls) continue;
      const at = (...p: (string | number)[]) => spanIn(l.owner, [...l.path, ...p]);
      const label = capital(listenerLabel(l));
      const mode = listenerTlsMode(l);
      const refs = certificateRefs(l);
      const hasOptions = isObject(l.tls.options) && Object.keys(l.tls.options).length > 0;
      // What the API server rejects (tls on HTTP/TCP/UDP, Passthrough on HTTPS, Terminate with neither refs nor
      // options) is the CRD's CEL rules' finding (schema-cel-violation); this rule is about what passes it.
      if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') continue;
      if (l.protocol === 'HTTPS' && mode === 'Passthrough') continue;
      if (mode === 'Passthrough' && refs.length > 0) {
        out.push(finding(this, at('tls', 'certificateRefs'), `${label} passes TLS through, so Istio never reads its ${refs.length} certificateRefs and sets no condition about them.`));
        continue;
      }
      if (mode === 'Terminate' && refs.length === 0 && hasOptions) {
        if (!['ISTIO_SIMPLE', 'ISTIO_MUTUAL'].includes(tlsOptions(l).get('gateway.istio.io/tls-terminate-mode')?.value ?? '')) {
          out.push(finding(this, at('tls', 'options'), `${label} terminates TLS with options but no certificateRefs, so Istio accepts it with no server certificate and sets no condition.`, { severity: 'error' }));
        }
      }
    }
    return out;
  },
};
