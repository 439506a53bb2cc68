import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import type { Finding } from '../../types';
import { GATEWAY_PROTOCOLS, isUnixBind, serverLabel, serverPath } from './servers';
import { UINT32_MAX } from '../../istio/validation';

/**
 * The webhook's checks on a server port (GW-07..GW-10): a known protocol, a number in 1..65535 (0 only for a unix
 * socket bind), no targetPort, and a non-empty name. Missing fields and wrong types are left to the schema rules.
 */
export const gatewayPortInvalid: ResourceRule = {
  id: 'gateway-port-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'A Gateway server port needs a known protocol, a number in 1..65535, a name, and no targetPort.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const s of gatewayServers(gw)) {
      const raw = (gw.spec.servers as unknown[])[s.index] as Record<string, unknown>;
      // A missing port, or a port without number, protocol or name, is the CRD's `required` (schema-required-missing).
      if (raw.port === undefined || raw.port === null) continue;
      const port = s.port as Record<string, unknown> | undefined;
      if (!port) continue;
      const at = (k: string) => spanIn(gw, serverPath(s, 'port', k));
      const p = port.protocol;
      if (typeof p === 'string' && !(GATEWAY_PROTOCOLS as readonly string[]).includes(p.toUpperCase())) {
        out.push(finding(this, at('protocol'), `Protocol "${p}" is not a protocol a Gateway server supports.`));
      }
      const n = port.number;
      if (typeof n === 'number' && Number.isInteger(n) && ((n >= 0 && n < 1) || (n > 65535 && n <= UINT32_MAX)) && !(n === 0 && isUnixBind(s))) {
        out.push(finding(this, at('number'), `Port number ${n} is outside the range 1..65535.`));
      }
      const t = port.targetPort;
      if (typeof t === 'number' && t > 0) out.push(finding(this, at('targetPort'), `targetPort ${t} has no effect on a Gateway server.`));
      if (port.name === '') out.push(finding(this, at('name'), `${serverLabel(s)} has an empty port name.`));
    }
    return out;
  },
};
