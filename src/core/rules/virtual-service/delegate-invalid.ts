import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { isDelegate, routesOf } from './routes';

/**
 * A VirtualService without hosts is a delegate: it is only reached through a root route's `delegate`, so it cannot
 * bind gateways, carry tcp/tls routes, or delegate again (VS-01, VS-02, HR-02).
 */
export const virtualServiceDelegateInvalid: ResourceRule = {
  id: 'virtual-service-delegate-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'A delegate VirtualService (no hosts) cannot have gateways, tcp/tls routes or nested delegates.',
  scope: 'resource',
  check(vs) {
    if (!isDelegate(vs)) return [];
    const out: Finding[] = [];
    const why = `VirtualService "${vs.name}" has no hosts, so it is a delegate`;
    if (isSet(vs.spec.gateways)) out.push(finding(this, spanIn(vs, ['spec', 'gateways'], 'key'), `${why} and cannot list gateways.`));
    for (const k of ['tls', 'tcp']) if (isSet(vs.spec[k])) out.push(finding(this, spanIn(vs, ['spec', k], 'key'), `${why} and cannot have ${k} routes.`));
    for (const r of routesOf(vs, 'http')) {
      if (r.route && isSet(r.route.delegate)) out.push(finding(this, spanIn(vs, [...r.path, 'delegate'], 'key'), `${why}, and the ${r.label} cannot delegate again.`));
    }
    return out;
  },
};
