import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesWithDestinations } from './routes';

/**
 * One route that lists the same destination (host, subset and port) twice: the weights are meant for different
 * backends, but both shares go to the same one, so the split written down is not the split that happens (Kiali
 * KIA1105).
 */
export const virtualServiceRouteDuplicateDestination: ResourceRule = {
  id: 'virtual-service-route-duplicate-destination',
  kialiCode: 'KIA1105',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  summary: 'A route must not list the same destination host and subset twice.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const { r, dests } of routesWithDestinations(vs)) {
      const seen = new Map<string, number>();
      dests.forEach((d, i) => {
        const dest = asObject(asObject(d)?.destination);
        if (!dest || typeof dest.host !== 'string') return;
        const subset = typeof dest.subset === 'string' ? dest.subset : '';
        const port = asObject(dest.port)?.number;
        const key = JSON.stringify([dest.host, subset, typeof port === 'number' ? port : null]);
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, i);
          return;
        }
        const what = subset ? `host "${dest.host}" subset "${subset}"` : `host "${dest.host}"`;
        out.push(finding(this, spanIn(vs, [...r.path, 'route', i, 'destination', 'host']), `The ${r.label} sends to ${what} again (already destination #${first}).`));
      });
    }
    return out;
  },
};
