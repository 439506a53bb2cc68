import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { listenerLabel } from '../../istio/gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../../istio/versions';
import type { Finding } from '../../types';
import { capital, istioListeners, GATEWAY_API_RULE_READS } from './common';

/**
 * An HTTPS or TLS listener without `tls` passes the v1.6 API server (the CEL rule was reverted), but istiod has no
 * certificate for it. Since 1.31 `buildListener` drops it with a log line while the Gateway's listener status stays
 * all True; on a ListenerSet it gets `Accepted=False UnsupportedProtocol`. Routes naming it get NoMatchingParent.
 */
export const gatewayApiListenerTlsMissing: WorkspaceRule = {
  id: 'gateway-api-listener-tls-missing',
  defaultSeverity: 'error',
  kinds: ['K8sGateway', 'ListenerSet'],
  summary: 'An HTTPS Gateway API listener without a tls block serves nothing.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    for (const l of istioListeners(ctx.index)) {
      // A TLS listener without tls is the API server's to reject ("tls mode must be set for protocol TLS").
      if (l.protocol !== 'HTTPS' || l.tls) continue;
      let what: string;
      if (l.owner.kind === 'ListenerSet') what = 'Istio sets Accepted=False UnsupportedProtocol and serves nothing';
      else if (istioAtLeast(ctx.config.targetIstioVersion, ISTIO_CHANGES.httpsWithoutTlsDropped)) what = 'Istio drops it with only a log line while its status stays Accepted';
      else what = 'Istio builds it without any TLS settings and sets no condition';
      out.push(finding(this, spanIn(l.owner, [...l.path, 'protocol']), `${capital(listenerLabel(l))} uses protocol ${l.protocol} but has no tls block, so ${what}.`));
    }
    return out;
  },
};
