import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';

/**
 * A VirtualService must route something: at least one http, tcp or tls section (VS-09), no empty http entries
 * (VS-10), and every tcp/tls route needs a `route` list (VT-02, VT-09). What an HTTP route does is checked by
 * virtual-service-http-action-invalid.
 */
export const virtualServiceRoutesMissing: ResourceRule = {
  id: 'virtual-service-routes-missing',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'A VirtualService needs http, tcp or tls routes, and tcp/tls routes need destinations.',
  scope: 'resource',
  check(vs) {
    const s = vs.spec;
    if (!isSet(s.http) && !isSet(s.tcp) && !isSet(s.tls)) {
      const span = 'spec' in vs.value ? spanIn(vs, ['spec'], 'key') : spanIn(vs, ['kind']);
      return [finding(this, span, `VirtualService "${vs.name}" has no http, tcp or tls routes.`)];
    }
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      if (r.raw === null) out.push(finding(this, spanIn(vs, r.path), `The ${r.label} is empty.`));
    }
    for (const kind of ['tcp', 'tls'] as const) {
      for (const r of routesOf(vs, kind)) {
        if (r.route && !isSet(r.route.route)) out.push(finding(this, spanIn(vs, r.path), `The ${r.label} has no route destinations.`));
      }
    }
    return out;
  },
};
