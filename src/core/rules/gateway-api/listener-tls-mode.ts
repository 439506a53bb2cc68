import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import { certificateRefs, listenerLabel, listenerTlsMode, tlsOptions } from '../../istio/gateway-api';
import type { Finding } from '../../types';
import { capital, istioListeners } from './common';

/**
 * `tls` per protocol. The API server rejects `tls` on HTTP/TCP/UDP, Passthrough on HTTPS, and Terminate with neither
 * certificateRefs nor options (the CRD's CEL rules). What it accepts but istiod ignores: certificateRefs on a
 * Passthrough listener (never read), and Terminate with only `options` (accepted with no certificate at all).
 */
export const gatewayApiListenerTlsMode: WorkspaceRule = {
  id: 'gateway-api-listener-tls-mode',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'A Gateway API listener tls block that does not fit its protocol and mode.',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      if (!l.tls) continue;
      const at = (...p: (string | number)[]) => spanIn(l.owner, [...l.path, ...p]);
      const label = capital(listenerLabel(l));
      const mode = listenerTlsMode(l);
      const refs = certificateRefs(l);
      const hasOptions = isObject(l.tls.options) && Object.keys(l.tls.options).length > 0;
      if (l.protocol === 'HTTP' || l.protocol === 'TCP' || l.protocol === 'UDP') {
        out.push(finding(this, at('tls'), `${label} has protocol ${l.protocol} and a tls block, which the API server rejects ("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']").`));
        continue;
      }
      if (l.protocol === 'HTTPS' && mode === 'Passthrough') {
        out.push(finding(this, at('tls', 'mode'), `${label} has protocol HTTPS with tls mode Passthrough, which the API server rejects ("tls mode must be Terminate for protocol HTTPS"); use protocol TLS.`));
        continue;
      }
      if (mode === 'Passthrough' && refs.length > 0) {
        out.push(finding(this, at('tls', 'certificateRefs'), `${label} passes TLS through, so Istio never reads its ${refs.length} certificateRefs and sets no condition about them.`, { severity: 'warning' }));
        continue;
      }
      if (mode === 'Terminate' && refs.length === 0) {
        if (!hasOptions) out.push(finding(this, at('tls'), `${label} terminates TLS without certificateRefs or options, which the API server rejects ("certificateRefs or options must be specified when mode is Terminate").`));
        else if (!['ISTIO_SIMPLE', 'ISTIO_MUTUAL'].includes(tlsOptions(l).get('gateway.istio.io/tls-terminate-mode')?.value ?? '')) {
          out.push(finding(this, at('tls', 'options'), `${label} terminates TLS with options but no certificateRefs, so Istio accepts it with no server certificate and sets no condition.`));
        }
      }
    }
    return out;
  },
};
