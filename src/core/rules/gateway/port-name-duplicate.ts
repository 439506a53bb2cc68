import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import type { Finding, RelatedInfo } from '../../types';
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
    // The first use of each name, with what every repeat of it says (made once: a Gateway may repeat a name 10,000 times).
    const first = new Map<string, { index: number; told?: { message: string; related: RelatedInfo[] } }>();
    for (const s of gatewayServers(gw)) {
      const name = s.port?.name as unknown;
      if (typeof name !== 'string' || name === '') continue;
      const earlier = first.get(name);
      if (earlier === undefined) {
        first.set(name, { index: s.index });
        continue;
      }
      earlier.told ??= {
        message: `Port name "${name}" is already used by server #${earlier.index}.`,
        related: [{ ...spanIn(gw, ['spec', 'servers', earlier.index, 'port', 'name']), message: `First use of port name "${name}".` }],
      };
      out.push(finding(this, spanIn(gw, serverPath(s, 'port', 'name')), earlier.told.message, { related: earlier.told.related }));
    }
    return out;
  },
};
