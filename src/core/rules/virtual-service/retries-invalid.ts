import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';
import { durationPrecisionProblem, isRetryOnPolicy } from './http-checks';

/**
 * HTTP retry policies (HR-18, validateHTTPRetry): attempts is not negative, a policy with attempts 0 (retries off)
 * sets nothing else, perTryTimeout and backoff are whole milliseconds, and every retryOn entry is an Envoy retry
 * policy or an HTTP status code. Duration syntax and the 1 ms floor are the CRD's checks.
 */
export const virtualServiceRetriesInvalid: ResourceRule = {
  id: 'virtual-service-retries-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Retry policies need attempts ≥ 1 when they set anything else, whole-millisecond timeouts and known retryOn policies.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'http')) {
      const rt = asObject(r.route?.retries);
      if (!rt) continue;
      const path = [...r.path, 'retries'];
      const attempts = typeof rt.attempts === 'number' ? rt.attempts : 0;
      if (attempts < 0) out.push(finding(this, spanIn(vs, [...path, 'attempts']), `Retry attempts ${attempts} of the ${r.label} cannot be negative.`));
      if (attempts === 0) {
        const set = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities'].filter((k) => rt[k] !== undefined && rt[k] !== null && rt[k] !== '');
        if (set.length > 0) {
          const at = rt.attempts === undefined ? spanIn(vs, path, 'key') : spanIn(vs, [...path, 'attempts']);
          out.push(finding(this, at, `The retry policy of the ${r.label} sets ${set.join(' and ')} while attempts is 0, which disables retries.`));
        }
      }
      for (const k of ['perTryTimeout', 'backoff']) {
        const p = durationPrecisionProblem(rt[k]);
        if (p) out.push(finding(this, spanIn(vs, [...path, k]), `Retry ${k} "${String(rt[k])}" of the ${r.label} is invalid: ${p}.`));
      }
      if (typeof rt.retryOn === 'string' && rt.retryOn !== '') {
        const bad = rt.retryOn.split(',').filter((p) => !isRetryOnPolicy(p));
        for (const p of bad) out.push(finding(this, spanIn(vs, [...path, 'retryOn']), `"${p}" in retryOn of the ${r.label} is not a valid retryOn policy.`));
      }
    }
    return out;
  },
};
