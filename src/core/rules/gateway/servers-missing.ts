import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';

/** Istio's webhook rejects a Gateway without servers, or with an empty entry in the list (GW-02, GW-03). */
export const gatewayServersMissing: ResourceRule = {
  id: 'gateway-servers-missing',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'A Gateway needs at least one server, and no server entry may be empty.',
  scope: 'resource',
  check(gw) {
    const servers = gw.spec.servers;
    if (servers === undefined || servers === null) {
      const span = 'spec' in gw.value ? spanIn(gw, ['spec'], 'key') : spanIn(gw, ['kind']);
      return [finding(this, span, `Gateway "${gw.name}" has no servers.`)];
    }
    // Any other non-list value is a type error that the schema rules report.
    if (!Array.isArray(servers)) return [];
    if (servers.length === 0) return [finding(this, spanIn(gw, ['spec', 'servers']), `Gateway "${gw.name}" has an empty servers list.`)];
    const out: Finding[] = [];
    servers.forEach((s, i) => {
      if (s === null) out.push(finding(this, spanIn(gw, ['spec', 'servers', i]), `Server #${i} of Gateway "${gw.name}" is empty.`));
    });
    return out;
  },
};
