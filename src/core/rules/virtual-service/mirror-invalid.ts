import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import type { Finding } from '../../types';
import { routesOf } from './routes';

/**
 * Mirroring (HR-15): mirrorPercentage and each mirrors[].percentage are within 0..100, the deprecated integer
 * mirrorPercent is at most 100 (and draws Istio's deprecation warning), and a mirrors entry is not null. Mirror
 * destinations are checked with the other destinations; mirror together with mirrors is an HTTP action conflict.
 */
export const virtualServiceMirrorInvalid: ResourceRule = {
  id: 'virtual-service-mirror-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Mirror percentages must be within 0..100; mirrorPercent is deprecated in favour of mirrorPercentage.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    const range = (v: unknown, path: (string | number)[], what: string) => {
      if (typeof v === 'number' && (v < 0 || v > 100)) out.push(finding(this, spanIn(vs, path), `${what}, ${v}, is outside the range 0..100.`));
    };
    for (const r of routesOf(vs, 'http')) {
      const h = r.route;
      if (!h) continue;
      for (const k of ['mirrorPercent', 'mirror_percent']) {
        const v = h[k];
        if (v === undefined || v === null) continue;
        if (typeof v === 'number' && v > 100) out.push(finding(this, spanIn(vs, [...r.path, k]), `${k} ${v} of the ${r.label} is more than 100.`));
        out.push(webhookWarning(this, spanIn(vs, [...r.path, k], 'key'), `The ${r.label} uses the deprecated ${k}; use mirrorPercentage instead.`));
      }
      range(asObject(h.mirrorPercentage)?.value, [...r.path, 'mirrorPercentage', 'value'], `mirrorPercentage of the ${r.label}`);
      const mirrors = Array.isArray(h.mirrors) ? h.mirrors : [];
      mirrors.forEach((m, i) => {
        const at = [...r.path, 'mirrors', i];
        if (m === null) return out.push(finding(this, spanIn(vs, at), `Mirror #${i} of the ${r.label} is empty.`));
        range(asObject(asObject(m)?.percentage)?.value, [...at, 'percentage', 'value'], `The percentage of mirror #${i} of the ${r.label}`);
      });
    }
    return out;
  },
};
