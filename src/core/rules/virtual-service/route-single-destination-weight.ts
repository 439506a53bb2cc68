import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesWithDestinations } from './routes';

/**
 * A route with one destination sends it all the traffic, whatever its `weight` says: istiod builds a single-cluster
 * route and ignores the weight. A weight such as 45 there usually means a split whose other half was forgotten or
 * moved to another route (Kiali KIA1104). 0 and 100 are left alone: they say the same as the default.
 */
export const virtualServiceRouteSingleDestinationWeight: ResourceRule = {
  id: 'virtual-service-route-single-destination-weight',
  kialiCode: 'KIA1104',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  summary: 'A weight on the only destination of a route is ignored: that destination receives all the traffic.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const { r, dests } of routesWithDestinations(vs)) {
      if (dests.length !== 1) continue;
      const w = asObject(dests[0])?.weight;
      if (typeof w !== 'number' || w === 100 || w === 0) continue;
      out.push(finding(this, spanIn(vs, [...r.path, 'route', 0, 'weight']), `Weight ${w} is ignored: destination #0 is the only one of the ${r.label}, so it receives all the traffic.`));
    }
    return out;
  },
};
