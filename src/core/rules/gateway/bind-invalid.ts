import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import { isIP } from '../../istio/validation';
import type { Finding } from '../../types';
import { serverPath } from './servers';

/**
 * `bind` must be an IP address or `unix://<absolute path>` / `unix://@abstract`; a unix socket server takes port
 * number 0 (GW-12, GW-13).
 */
export const gatewayBindInvalid: ResourceRule = {
  id: 'gateway-bind-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'A server bind address must be an IP address or a unix:// socket path (with port number 0).',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const s of gatewayServers(gw)) {
      const bind = s.bind;
      if (bind === undefined || bind === '') continue;
      const span = spanIn(gw, serverPath(s, 'bind'));
      if (!bind.startsWith('unix://')) {
        if (!isIP(bind)) out.push(finding(this, span, `Bind address "${bind}" is not an IP address.`));
        continue;
      }
      const path = bind.slice('unix://'.length);
      if (path === '') out.push(finding(this, span, `Bind address "${bind}" names no socket path.`));
      else if (!path.startsWith('@') && (!path.startsWith('/') || path.endsWith('/'))) {
        out.push(finding(this, span, `Unix socket "${path}" is not an absolute path to a file.`));
      }
      const n = s.port?.number as unknown;
      if (typeof n === 'number' && n !== 0) {
        out.push(finding(this, spanIn(gw, serverPath(s, 'port', 'number')), `Port number ${n} must be 0 for a server bound to unix socket "${path}".`));
      }
    }
    return out;
  },
};
