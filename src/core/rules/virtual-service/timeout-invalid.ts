import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { durationPrecisionProblem } from './http-checks';

/**
 * An HTTP route timeout must be a whole number of milliseconds (HR-20): Envoy's route timeouts have millisecond
 * resolution, so Istio refuses what it could not express. Duration syntax and the 1 ms floor are the CRD's checks.
 */
export const virtualServiceTimeoutInvalid: ResourceRule = {
  id: 'virtual-service-timeout-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'HTTP route timeouts must be whole milliseconds.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const t = r.route?.timeout;
      const p = durationPrecisionProblem(t);
      if (p) out.push(finding(this, spanIn(vs, [...r.path, 'timeout']), `Timeout "${String(t)}" of the ${r.label} is invalid: ${p}.`));
    }
    return out;
  },
};
