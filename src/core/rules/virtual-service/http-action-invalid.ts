import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';

/**
 * An HTTP route does exactly one thing: forward (`route`), `redirect`, answer directly (`directResponse`) or hand over
 * to a `delegate` VirtualService. The webhook rejects combinations and routes that do nothing (HR-01, HR-03..HR-06).
 */
export const virtualServiceHttpActionInvalid: ResourceRule = {
  id: 'virtual-service-http-action-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Each HTTP route needs exactly one of route, redirect, directResponse or delegate (with compatible options).',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const h = r.route;
      if (!h) continue;
      const has = (k: string) => h[k] !== undefined && h[k] !== null && !(Array.isArray(h[k]) && (h[k] as unknown[]).length === 0);
      const at = (k: string) => spanIn(vs, [...r.path, k], 'key');
      if (has('delegate')) {
        // Root routes are checked only for these two conflicts; their other options apply to the delegate.
        for (const k of ['redirect', 'route']) if (has(k)) out.push(finding(this, at(k), `The ${r.label} has a delegate, so it cannot also set ${k}.`));
        continue;
      }
      if (has('redirect')) {
        for (const k of ['route', 'fault', 'rewrite', 'directResponse']) if (has(k)) out.push(finding(this, at(k), `The ${r.label} has a redirect, so it cannot also set ${k}.`));
      }
      if (has('directResponse')) {
        for (const k of ['route', 'fault', 'rewrite']) if (has(k)) out.push(finding(this, at(k), `The ${r.label} has a directResponse, so it cannot also set ${k}.`));
      }
      if (!has('route') && !has('redirect') && !has('directResponse')) {
        const span = isSet(h.match) ? at('match') : spanIn(vs, r.path);
        out.push(finding(this, span, `The ${r.label} has no route, redirect or directResponse.`));
      }
      if (has('mirror') && has('mirrors')) out.push(finding(this, at('mirrors'), `The ${r.label} sets both mirror and mirrors.`));
    }
    return out;
  },
};
