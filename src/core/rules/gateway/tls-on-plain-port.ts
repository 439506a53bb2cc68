import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { HTTP_PROTOCOLS, NON_TLS_PROTOCOLS, portIsValid, protocol, serverLabel, serverPath, tlsMode } from './servers';

/**
 * A tls block on a plain-text port (GW-15, GW-16). HTTP ports may keep a passthrough-mode block without certificate
 * files (that is how `httpsRedirect: true` is written); TCP-like ports may have none at all.
 */
export const gatewayTlsOnPlainPort: ResourceRule = {
  id: 'gateway-tls-on-plain-port',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Plain-text ports (HTTP, TCP, …) cannot terminate TLS; use protocol HTTPS or TLS instead.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const s of gatewayServers(gw)) {
      const p = protocol(s);
      if (!s.tls || !p || !portIsValid(s)) continue;
      // Computed only for a finding: every TLS server of every Gateway comes through here.
      const span = () => spanIn(gw, serverPath(s, 'port', 'protocol'));
      if (NON_TLS_PROTOCOLS.includes(p)) {
        out.push(finding(this, span(), `${serverLabel(s)} has protocol ${p}, which cannot carry tls settings.`));
        continue;
      }
      if (!HTTP_PROTOCOLS.includes(p)) continue;
      const mode = tlsMode(s.tls);
      const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
      const files = isSet(s.tls.serverCertificate) || isSet(s.tls.privateKey) || isSet(s.tls.caCertificates);
      if (mode && (!passthrough || files)) {
        const what = passthrough ? 'certificate files' : `tls mode ${mode}`;
        out.push(finding(this, span(), `${serverLabel(s)} has plain-text protocol ${p} but sets ${what}; use protocol HTTPS to terminate TLS.`));
      }
    }
    return out;
  },
};
