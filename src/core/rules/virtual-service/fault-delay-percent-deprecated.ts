import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';

/**
 * `fault.delay.percent` (an integer) was replaced by `fault.delay.percentage.value` (a double); istioctl's
 * deprecation analyzer reports a positive `percent` (IST0002 Deprecated).
 */
export const virtualServiceFaultDelayPercentDeprecated: ResourceRule = {
  id: 'virtual-service-fault-delay-percent-deprecated',
  istioCode: 'IST0002',
  defaultSeverity: 'warning',
  kinds: ['VirtualService'],
  summary: 'fault.delay.percent is deprecated; use fault.delay.percentage.value.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const percent = asObject(asObject(r.route?.fault)?.delay)?.percent;
      if (typeof percent !== 'number' || percent <= 0) continue;
      out.push(finding(this, spanIn(vs, [...r.path, 'fault', 'delay', 'percent'], 'key'), `The ${r.label} sets the deprecated fault.delay.percent (${percent}); use fault.delay.percentage.value.`));
    }
    return out;
  },
};
