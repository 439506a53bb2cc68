import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isIP, wildcardDomainProblem } from '../../istio/validation';
import type { Finding } from '../../types';
import { hostsOverlap } from './routes';

/** Two hosts of one VirtualService may not overlap, whether identical or one wildcard covering the other (VS-08). */
export const virtualServiceHostDuplicate: ResourceRule = {
  id: 'virtual-service-host-duplicate',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'The hosts of a VirtualService must not repeat or overlap (e.g. "*.example.com" and "a.example.com").',
  scope: 'resource',
  check(vs) {
    const raw = vs.spec.hosts;
    if (!Array.isArray(raw)) return [];
    const hosts = raw.filter((h): h is string => typeof h === 'string');
    // Like the webhook, only compare once every host is valid; virtual-service-host-invalid reports the rest.
    if (hosts.length !== raw.length || hosts.some((h) => h !== '*' && !isIP(h) && wildcardDomainProblem(h))) return [];
    const out: Finding[] = [];
    for (let j = 1; j < hosts.length; j++) {
      for (let i = 0; i < j; i++) {
        if (!hostsOverlap(hosts[i], hosts[j])) continue;
        const other = spanIn(vs, ['spec', 'hosts', i]);
        const how = hosts[i] === hosts[j] ? 'repeats' : 'overlaps';
        out.push(finding(this, spanIn(vs, ['spec', 'hosts', j]), `Host "${hosts[j]}" ${how} host "${hosts[i]}".`, { related: [{ ...other, message: `The earlier host "${hosts[i]}".` }] }));
        break;
      }
    }
    return out;
  },
};
