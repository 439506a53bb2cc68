import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isDns1123Label, wildcardDomainProblem } from '../../istio/validation';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { ROUTE_KINDS, routesOf } from './routes';
import { UINT32_MAX } from '../../istio/validation';

type Emit = (path: PathSegment[], message: string, which?: 'key' | 'value') => void;

/** host / subset / port of one Destination. */
function checkDestination(dest: unknown, path: PathSegment[], emit: Emit): void {
  const d = asObject(dest);
  if (!d) return;
  const host = d.host;
  // A missing host is the CRD's `required` (schema-required-missing); an empty one only the webhook rejects.
  if (host === '') emit(path, 'The destination has no host.', 'key');
  else if (host === '*') emit([...path, 'host'], 'Destination host "*" is not allowed; name one service.');
  else if (typeof host === 'string') {
    const p = wildcardDomainProblem(host);
    if (p) emit([...path, 'host'], `Destination host "${host}" is not a valid host name: ${p}.`);
  }
  const subset = d.subset;
  if (typeof subset === 'string' && subset !== '' && !isDns1123Label(subset)) emit([...path, 'subset'], `Subset "${subset}" is not a valid subset name (a DNS label).`);
  const port = asObject(d.port);
  const n = port?.number;
  // A port selector without a number selects port 0, which validatePortSelector refuses.
  if (port && (n === undefined || n === null)) emit([...path, 'port'], 'The destination port has no number.', 'key');
  if (typeof n === 'number' && Number.isInteger(n) && (n === 0 || (n > 65535 && n <= UINT32_MAX))) emit([...path, 'port', 'number'], `Destination port ${n} is outside the range 1..65535.`);
}

/**
 * Route destinations (http, tcp, tls, and http mirrors): every entry needs a destination with a valid host (not
 * `*`), subset name and port; weights are non-negative, and several destinations cannot all weigh 0 (HR-15, HR-19).
 * Weights need not add up to 100: Istio normalizes them.
 */
export const virtualServiceDestinationInvalid: ResourceRule = {
  id: 'virtual-service-destination-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Route destinations need a valid host, subset and port, and non-negative weights that are not all 0.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    const emit: Emit = (path, message, which = 'value') => out.push(finding(this, spanIn(vs, path, which), message));
    for (const kind of ROUTE_KINDS) {
      for (const r of routesOf(vs, kind)) {
        const list = r.route?.route;
        if (Array.isArray(list)) {
          let total = 0;
          list.forEach((entry, i) => {
            const at = [...r.path, 'route', i];
            if (entry === null) return emit(at, `Destination #${i} of the ${r.label} is empty.`);
            const e = asObject(entry);
            if (!e) return;
            // A missing destination is the CRD's `required` (schema-required-missing).
            checkDestination(e.destination, [...at, 'destination'], emit);
            if (typeof e.weight === 'number') {
              if (e.weight < 0) emit([...at, 'weight'], `Weight ${e.weight} of destination #${i} in the ${r.label} is negative.`);
              total += e.weight;
            }
          });
          if (list.length > 1 && total === 0 && list.every((e) => asObject(e))) {
            emit([...r.path, 'route'], `The ${list.length} destinations of the ${r.label} have a total weight of 0.`, 'key');
          }
        }
        if (kind !== 'http' || !r.route) continue;
        if (asObject(r.route.mirror)) checkDestination(r.route.mirror, [...r.path, 'mirror'], emit);
        const mirrors = r.route.mirrors;
        if (Array.isArray(mirrors)) {
          mirrors.forEach((m, i) => {
            const o = asObject(m);
            if (!o) return;
            else checkDestination(o.destination, [...r.path, 'mirrors', i, 'destination'], emit);
          });
        }
      }
    }
    return out;
  },
};
