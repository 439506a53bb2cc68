import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import { HTTP_PROTOCOLS, protocol, serverLabel, serverPath } from './servers';

/** `httpsRedirect` only does something on a plain HTTP server; elsewhere the webhook warns (GW-17). */
export const gatewayHttpsRedirectNonHttp: ResourceRule = {
  id: 'gateway-https-redirect-non-http',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  summary: 'tls.httpsRedirect belongs on an HTTP server, not on HTTPS/TLS/TCP servers.',
  scope: 'resource',
  check(gw) {
    return gatewayServers(gw)
      .filter((s) => s.tls?.httpsRedirect === true && protocol(s) !== undefined && !HTTP_PROTOCOLS.includes(protocol(s) ?? ''))
      .map((s) =>
        finding(this, spanIn(gw, serverPath(s, 'tls', 'httpsRedirect')), `${serverLabel(s)} has protocol ${protocol(s)}, where httpsRedirect has no effect.`),
      );
  },
};
