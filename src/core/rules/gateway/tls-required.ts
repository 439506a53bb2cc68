import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers, protocolOf } from '../../istio/gateway';

/** Istio's webhook rejects an HTTPS or TLS server without a `tls` block (GW-14). */
export const gatewayTlsRequired: ResourceRule = {
  id: 'gateway-tls-required',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'HTTPS and TLS servers need a tls block.',
  scope: 'resource',
  check(gw) {
    return gatewayServers(gw)
      .filter((s) => (protocolOf(s) === 'HTTPS' || protocolOf(s) === 'TLS') && !s.tls && s.port?.name)
      .map((s) =>
        finding(this, spanIn(gw, ['spec', 'servers', s.index, 'port', 'protocol']), `Server "${s.port?.name}" uses protocol ${protocolOf(s)} but has no tls settings.`),
      );
  },
};
