import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel } from '../../istio/gateway-api';
import { isIstioProtocol } from '../../index/gateway-api';
import type { Finding } from '../../types';
import { istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * istiod builds HTTP, HTTPS, TLS and TCP listeners for the `istio` class (`listenerProtocolToIstio`); anything else,
 * including UDP and a lower-case `https` that the API server accepts, gets `Accepted=False UnsupportedProtocol` and
 * serves nothing.
 */
export const gatewayApiListenerProtocolUnsupported: WorkspaceRule = {
  id: 'gateway-api-listener-protocol-unsupported',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'A Gateway API listener protocol Istio does not build (only HTTP, HTTPS, TLS and TCP).',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      if (l.protocol === undefined || isIstioProtocol(l.protocol)) continue;
      const upper = l.protocol.toUpperCase();
      const hint = isIstioProtocol(upper) ? `; "${upper}" (uppercase) is` : '';
      out.push(
        finding(this, spanIn(l.owner, [...l.path, 'protocol']), `Protocol "${l.protocol}" of ${listenerLabel(l)} is unsupported by Istio${hint ? `${hint} supported` : ''} (listener Accepted=False, UnsupportedProtocol).`, {
          fixes: hint ? [{ title: `Change to \`${upper}\``, edits: [{ ...spanIn(l.owner, [...l.path, 'protocol']), newText: upper }], preferred: true }] : [],
        }),
      );
    }
    return out;
  },
};
