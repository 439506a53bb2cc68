import { finding, type ResourceRule } from '../types';
import { webhookWarning } from '../webhook-warning';
import { spanIn, type JsonObject } from '../../istio/resource';
import { asObject } from '../../istio/validation';
import { durationPrecisionProblem } from '../../istio/duration';
import type { PathSegment } from '../../yaml/documents';
import type { Finding } from '../../types';
import { settingsBlocks } from './port-policies';

type Emit = (path: PathSegment[], message: string, opts?: { which?: 'key' | 'value'; warning?: boolean }) => void;

/** Envoy's isPrime, which Istio copies so that it refuses exactly the maglev table sizes Envoy would. */
function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  const limit = Math.floor(Math.sqrt(x));
  for (let f = 3; f <= limit; f += 2) if (x % f === 0) return false;
  return true;
}

const TOPOLOGY_LABELS: readonly string[] = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** validateLocalities, ported as Istio wrote it: `region[/zone[/subzone]]`, one `*` at the end, no overlaps. */
function localitiesProblem(list: string[]): string | undefined {
  const regions = new Map<string, Map<string, Set<string>>>();
  for (const loc of list) {
    const stars = loc.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !loc.endsWith('*'))) return `locality "${loc}" may hold one "*", at its end`;
    const overlap = `locality "${loc}" overlaps an earlier one`;
    if (regions.has('*')) return overlap;
    const parts = loc.split('/');
    const items = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join('/')] : parts;
    if (items.some((p) => p === '')) return `locality "${loc}" has an empty region, zone or subzone`;
    const [region, zone, sub] = items;
    const zones = regions.get(region);
    if (items.length === 1) {
      if (zones) return overlap;
      regions.set(region, new Map([['*', new Set(['*'])]]));
    } else if (items.length === 2) {
      if (zones) {
        if (zones.has('*') || zones.has(zone)) return overlap;
        zones.set(zone, new Set(['*']));
      } else regions.set(region, new Map([[zone, new Set(['*'])]]));
    } else if (zones) {
      if (zones.has('*')) return overlap;
      const subs = zones.get(zone);
      if (subs) {
        if (subs.has('*') || subs.has(sub)) return overlap;
        subs.add(sub);
      } else zones.set(zone, new Set([sub]));
    } else regions.set(region, new Map([[zone, new Set([sub])]]));
  }
  return undefined;
}

function checkLocality(lb: JsonObject, path: PathSegment[], where: string, hasOutlier: boolean, emit: Emit): void {
  const loc = asObject(lb.localityLbSetting);
  if (!loc) return;
  const lp = [...path, 'localityLbSetting'];
  const distribute = Array.isArray(loc.distribute) ? loc.distribute : [];
  const failover = Array.isArray(loc.failover) ? loc.failover : [];
  const priority = Array.isArray(loc.failoverPriority) ? loc.failoverPriority : [];
  if (distribute.length > 0 && failover.length > 0) return emit([...lp, 'failover'], `localityLbSetting of ${where} sets both distribute and failover.`, { which: 'key' });
  if (failover.length > 0) {
    const topo = priority.findIndex((p) => typeof p === 'string' && TOPOLOGY_LABELS.includes(p));
    if (topo >= 0) return emit([...lp, 'failoverPriority', topo], `localityLbSetting of ${where} sets failover and the topology label "${String(priority[topo])}" in failoverPriority.`);
  }
  const froms: string[] = [];
  for (let i = 0; i < distribute.length; i++) {
    const d = asObject(distribute[i]);
    if (!d) continue;
    if (typeof d.from === 'string') froms.push(d.from);
    const to = asObject(d.to) ?? {};
    let total = 0;
    for (const [k, w] of Object.entries(to)) {
      if (typeof w !== 'number') continue;
      // A negative weight is the CRD's `minimum` finding; 0 and anything over 100 are the webhook's.
      if (w < 0) return;
      if (w === 0 || w > 100) return emit([...lp, 'distribute', i, 'to', k], `Locality weight ${w} for "${k}" in ${where} is not in the range 1..100.`);
      total += w;
    }
    if (total !== 100) return emit([...lp, 'distribute', i, 'to'], `The locality weights of distribute entry #${i} in ${where} add up to ${total}, not 100.`, { which: 'key' });
    const p = localitiesProblem(Object.keys(to));
    if (p) emit([...lp, 'distribute', i, 'to'], `distribute entry #${i} of ${where} is invalid: ${p}.`, { which: 'key' });
  }
  const p = localitiesProblem(froms);
  if (p) emit([...lp, 'distribute'], `localityLbSetting distribute of ${where} is invalid: ${p}.`, { which: 'key' });
  if ((failover.length > 0 || priority.length > 0) && !hasOutlier) {
    emit(lp, `Locality failover in ${where} only works with an outlierDetection policy, and there is none.`, { which: 'key', warning: true });
  }
  failover.forEach((f, i) => {
    const o = asObject(f);
    if (!o) return;
    const from = typeof o.from === 'string' ? o.from : '';
    const to = typeof o.to === 'string' ? o.to : '';
    const at = [...lp, 'failover', i];
    if (from === to) emit(at, `Failover entry #${i} of ${where} goes from "${from}" to the same region.`);
    if (from.includes('/') || to.includes('/')) emit(at, `Failover entry #${i} of ${where} names a zone; failover takes regions only.`);
    if (from.includes('*') || to.includes('*')) emit(at, `Failover entry #${i} of ${where} uses a "*" wildcard, which failover does not allow.`);
  });
}

/**
 * Load balancer settings (DR-08, validateLoadBalancer): a consistent-hash cookie has a name, the deprecated
 * minimumRingSize is not combined with ringHash/maglev, a maglev tableSize is a prime below 5000011, locality
 * distribute weights are 1..100 and add up to 100 with non-overlapping localities, failover names distinct regions,
 * warmup aggression is at least 1, and durations are whole milliseconds.
 */
export const destinationRuleLoadBalancerInvalid: ResourceRule = {
  id: 'destination-rule-load-balancer-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'loadBalancer settings: cookie name, prime maglev table size, locality weights adding up to 100, failover regions, warmup.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    const emit: Emit = (path, message, opts = {}) =>
      out.push(opts.warning ? webhookWarning(this, spanIn(dr, path, opts.which ?? 'value'), message) : finding(this, spanIn(dr, path, opts.which ?? 'value'), message));
    for (const b of settingsBlocks(dr)) {
      const lb = asObject(b.policy.loadBalancer);
      if (!lb) continue;
      const path = [...b.path, 'loadBalancer'];
      const ch = asObject(lb.consistentHash);
      if (ch) {
        const cp = [...path, 'consistentHash'];
        const cookie = asObject(ch.httpCookie);
        if (cookie && cookie.name === '') emit([...cp, 'httpCookie', 'name'], `The consistentHash httpCookie of ${b.where} has an empty name.`);
        const ring = ch.minimumRingSize;
        if (typeof ring === 'number' && ring !== 0) {
          emit([...cp, 'minimumRingSize'], `consistentHash minimumRingSize of ${b.where} is deprecated; use ringHash.minimumRingSize.`, { which: 'key', warning: true });
          const algo = ['ringHash', 'maglev'].find((k) => ch[k] !== undefined && ch[k] !== null);
          if (algo) emit([...cp, algo], `consistentHash of ${b.where} sets both minimumRingSize and ${algo}.`, { which: 'key' });
        }
        const maglev = asObject(ch.maglev);
        if (maglev) {
          const size = typeof maglev.tableSize === 'number' ? maglev.tableSize : 0;
          const at = maglev.tableSize === undefined ? [...cp, 'maglev'] : [...cp, 'maglev', 'tableSize'];
          const which = maglev.tableSize === undefined ? 'key' : 'value';
          if (size === 0) emit(at, `The maglev consistent hash of ${b.where} needs a tableSize.`, { which });
          else if (size >= 5000011) emit(at, `Maglev tableSize ${size} of ${b.where} must be less than 5000011.`);
          else if (Number.isInteger(size) && size > 0 && !isPrime(size)) emit(at, `Maglev tableSize ${size} of ${b.where} is not a prime number.`);
        }
      }
      checkLocality(lb, path, b.where, b.policy.outlierDetection !== undefined && b.policy.outlierDetection !== null, emit);
      const wp = durationPrecisionProblem(lb.warmupDurationSecs);
      if (wp) emit([...path, 'warmupDurationSecs'], `warmupDurationSecs "${String(lb.warmupDurationSecs)}" of ${b.where} is invalid: ${wp}.`);
      const warm = asObject(lb.warmup);
      if (warm) {
        const dp = durationPrecisionProblem(warm.duration);
        if (dp) emit([...path, 'warmup', 'duration'], `warmup duration "${String(warm.duration)}" of ${b.where} is invalid: ${dp}.`);
        // Below 0 is the CRD's `minimum` finding; the webhook's floor is 1.
        const ag = warm.aggression;
        if (typeof ag === 'number' && ag >= 0 && ag < 1) emit([...path, 'warmup', 'aggression'], `warmup aggression ${ag} of ${b.where} is less than 1.`);
      }
    }
    return out;
  },
};
