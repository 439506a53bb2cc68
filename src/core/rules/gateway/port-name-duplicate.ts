import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import type { Finding } from '../../types';
import { serverPath } from './servers';

/** Port names must be unique across the servers of one Gateway, even when the port numbers differ (GW-11). */
export const gatewayPortNameDuplicate: ResourceRule = {
  id: 'gateway-port-name-duplicate',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Each server of a Gateway needs its own port name.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    const first = new Map<string, number>();
    for (const s of gatewayServers(gw)) {
      const name = s.port?.name as unknown;
      if (typeof name !== 'string' || name === '') continue;
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, s.index);
        continue;
      }
      const other = spanIn(gw, ['spec', 'servers', earlier, 'port', 'name']);
      out.push(
        finding(this, spanIn(gw, serverPath(s, 'port', 'name')), `Port name "${name}" is already used by server #${earlier}.`, {
          related: [{ ...other, message: `First use of port name "${name}".` }],
        }),
      );
    }
    return out;
  },
};
