import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector } from '../../istio/gateway';
import type { Finding, RelatedInfo } from '../../types';
import type { Placed } from '../../index/placement';
import { crossModel, idOf, related, reportable, selectorKey, serversOf } from './model';
import { sameUnit } from './destination-rule-hosts';

export interface HostUse {
  gw: Placed;
  server: number;
  hostIndex: number;
  raw: string;
  /** Namespace part: `*` for none or `*\/`, the Gateway's namespace for `./`. */
  ns: string;
  /** Host part, lower-cased (DNS names are case-insensitive). */
  host: string;
  port: number;
  tls: boolean;
}

/** Whether two uses of overlapping hosts are this rule's to report (symmetric). */
export function overlapReported(a: HostUse, b: HostUse): boolean {
  if (a === b || !(a.ns === '*' || b.ns === '*' || a.ns === b.ns)) return false;
  if (a.gw !== b.gw && (idOf(a.gw) === idOf(b.gw) || !sameUnit(a.gw, b.gw))) return false;
  // Left to gateway-conflict (IST0145) and gateway-duplicate-server-host.
  if (a.gw !== b.gw && a.raw === b.raw) return false;
  if (a.gw === b.gw && a.server !== b.server && a.tls && b.tls && a.ns === b.ns && a.host === b.host) return false;
  return true;
}

/** The entries above `after` of two ascending lists, merged in ascending order (each entry once). */
function mergeAfter(a: number[], b: number[], after: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && a[i] <= after) i++;
  while (j < b.length && b[j] <= after) j++;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/** Keeps the first two entries per key: the first one that is not a given entry is then at hand. */
class FirstTwo<K> {
  private readonly m = new Map<K, [number, number]>();
  add(key: K, i: number): void {
    const e = this.m.get(key);
    if (!e) this.m.set(key, [i, -1]);
    else if (e[1] < 0) e[1] = i;
  }
  /** The first index under `key` other than `not`, or Infinity. */
  firstBut(key: K, not: number): number {
    const e = this.m.get(key);
    if (!e) return Infinity;
    const i = e[0] !== not ? e[0] : e[1];
    return i < 0 ? Infinity : i;
  }
}

/**
 * Pairs the uses of one exact (lower-cased) host. Each use is reported with the first other use it overlaps, which is
 * what comparing every pair in list order gives; found through first-index tables instead, since a hostile
 * Gateway with 40,000 servers on one host made the pairwise loop cost minutes.
 */
export function pairExact(l: HostUse[], hits: Map<HostUse, HostUse>): void {
  if (l.length < 2) return;
  // Uses compare only within a unit (a use and itself share one), so each unit is a problem of its own.
  const units = new Map<string, number[]>();
  l.forEach((u, i) => {
    const key = u.gw.unit.id;
    pushTo(units, key, i);
  });
  const partner = new Array<number>(l.length).fill(Infinity);
  for (const members of units.values()) {
    if (members.length < 2) continue;
    // Same Gateway: every other use overlaps, except a TLS use in another server in the same namespace scope.
    const byGw = new Map<Resource, number[]>();
    for (const i of members) {
      let g = byGw.get(l[i].gw);
      if (!g) byGw.set(l[i].gw, (g = []));
      g.push(i);
    }
    for (const g of byGw.values()) {
      if (g.length < 2) continue;
      const all = new FirstTwo<string>();
      const byNs = new FirstTwo<string>();
      const plainByNs = new FirstTwo<string>();
      const byNsServer = new FirstTwo<string>();
      let firstNamespaced = Infinity;
      for (const i of g) {
        const u = l[i];
        all.add('', i);
        byNs.add(u.ns, i);
        if (!u.tls) plainByNs.add(u.ns, i);
        byNsServer.add(`${u.ns}\0${u.server}`, i);
        if (u.ns !== '*' && i < firstNamespaced) firstNamespaced = i;
      }
      for (const k of g) {
        const u = l[k];
        let best: number;
        if (u.ns === '*') {
          best = u.tls
            ? Math.min(firstNamespaced, plainByNs.firstBut('*', k), byNsServer.firstBut(`*\0${u.server}`, k))
            : all.firstBut('', k);
        } else {
          best = u.tls
            ? Math.min(byNs.firstBut('*', k), plainByNs.firstBut(u.ns, k), byNsServer.firstBut(`${u.ns}\0${u.server}`, k))
            : Math.min(byNs.firstBut('*', k), byNs.firstBut(u.ns, k));
        }
        if (best < partner[k]) partner[k] = best;
      }
    }
    // Other Gateways of the unit: another identity, another host string, a namespace scope that meets. Per scope
    // bucket (every use, or one namespace part), the uses are grouped by host string in order of first appearance;
    // per group the first use, and the first of another identity, are what any use can pair with.
    interface Group {
      first: number;
      firstId: string;
      /** The first use whose Gateway has another identity than the group's first, or Infinity. */
      other: number;
    }
    const buckets = new Map<string, { groups: Group[]; byRaw: Map<string, Group> }>();
    const bucketAdd = (b: string, i: number) => {
      let bucket = buckets.get(b);
      if (!bucket) buckets.set(b, (bucket = { groups: [], byRaw: new Map() }));
      const u = l[i];
      const g = bucket.byRaw.get(u.raw);
      if (!g) {
        const ng = { first: i, firstId: idOf(u.gw), other: Infinity };
        bucket.byRaw.set(u.raw, ng);
        bucket.groups.push(ng);
      } else if (g.other === Infinity && idOf(u.gw) !== g.firstId) g.other = i;
    };
    for (const i of members) {
      bucketAdd('\0all', i);
      bucketAdd(l[i].ns, i);
    }
    const firstOther = (b: string, k: number): number => {
      const bucket = buckets.get(b);
      if (!bucket) return Infinity;
      const u = l[k];
      const id = idOf(u.gw);
      let best = Infinity;
      // Groups in order of their first use: the scan stops at the first group past the best candidate, so it only
      // passes groups that start with a use of this Gateway's identity (or this very host string).
      for (const g of bucket.groups) {
        if (g.first >= best) break;
        const gRaw = l[g.first].raw;
        if (gRaw === u.raw) continue;
        const cand = g.firstId !== id ? g.first : g.other;
        if (cand < best) best = cand;
      }
      return best;
    };
    for (const k of members) {
      const u = l[k];
      const best = u.ns === '*' ? firstOther('\0all', k) : Math.min(firstOther('*', k), firstOther(u.ns, k));
      if (best < partner[k]) partner[k] = best;
    }
  }
  for (let k = 0; k < l.length; k++) {
    const j = partner[k];
    if (j !== Infinity && !hits.has(l[k])) hits.set(l[k], l[j]);
  }
}

/**
 * Hosts that overlap on one port of one gateway workload (same selector and bind): the same name in another case,
 * `*` next to anything, or `*.example.com` next to a name under it, in one Gateway or in several. Requests for the
 * overlapping names are routed by whichever server or VirtualService istiod happens to order first (Kiali KIA0301).
 * Identical host strings in different Gateways are gateway-conflict's (IST0145), and identical TLS hosts in separate
 * servers gateway-duplicate-server-host's; this rule reports the rest. Different Gateways are compared within one file
 * for now (sample folders keep alternative Gateways for one ingress in separate files).
 */
export const gatewayHostOverlap: WorkspaceRule = {
  id: 'gateway-host-overlap',
  kialiCode: 'KIA0301',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  reads: ['Gateway'],
  summary: 'Hosts of Gateway servers on the same workload and port must not overlap (case, wildcards, namespace scope).',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const groups = new Map<string, HostUse[]>();
    for (const gw of model.gateways) {
      const sel = selectorKey(gatewaySelector(gw));
      for (const s of serversOf(model, gw)) {
        const port = s.port?.number;
        if (typeof port !== 'number') continue;
        const key = `${sel}\0${port}\0${s.bind ?? ''}`;
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        s.hosts.forEach((raw, hostIndex) => {
          const slash = raw.indexOf('/');
          let ns = slash >= 0 ? raw.slice(0, slash) : '*';
          if (ns === '.') ns = gw.namespace;
          list.push({ gw, server: s.index, hostIndex, raw, ns, host: (slash >= 0 ? raw.slice(slash + 1) : raw).toLowerCase(), port, tls: s.tls !== undefined });
        });
      }
    }
    const hits = new Map<HostUse, HostUse>();
    const pair = (a: HostUse, b: HostUse) => {
      if (!overlapReported(a, b)) return;
      if (!hits.has(a)) hits.set(a, b);
      if (!hits.has(b)) hits.set(b, a);
    };
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const exact = new Map<string, HostUse[]>();
      const wild: HostUse[] = [];
      for (const u of list) {
        if (u.host.startsWith('*')) wild.push(u);
        else {
          pushTo(exact, u.host, u);
        }
      }
      for (const l of exact.values()) pairExact(l, hits);
      if (wild.length === 0) continue;
      // The pairs below are met in the order a comparison of every wildcard with every later wildcard and every exact
      // host gives (the first pair of a use decides what its finding names), but found through indexes: thousands of
      // wildcard hosts beside thousands of names on one port were a pairwise comparison (20,000 servers: 7 s).
      const wildByHost = new Map<string, number[]>();
      const stars: number[] = [];
      wild.forEach((w, i) => {
        if (w.host === '*') stars.push(i);
        pushTo(wildByHost, w.host, i);
      });
      const exactLists = [...exact.values()];
      // `.example.com` → the exact hosts (by position in `exact`) under it, for `*.example.com`.
      const bySuffix = new Map<string, number[]>();
      [...exact.keys()].forEach((h, k) => {
        for (let dot = h.indexOf('.'); dot >= 0; dot = h.indexOf('.', dot + 1)) {
          const suffix = h.slice(dot);
          let l = bySuffix.get(suffix);
          if (!l) bySuffix.set(suffix, (l = []));
          // A name with the same suffix at two dots (`a.x.a.x`) is listed once.
          if (l[l.length - 1] !== k) l.push(k);
        }
      });
      for (let i = 0; i < wild.length; i++) {
        const w = wild[i];
        // Two different wildcards overlap only through `*`; Kiali does not compare `*.a.com` with `*.b.a.com`.
        if (w.host === '*') for (let j = i + 1; j < wild.length; j++) pair(w, wild[j]);
        else for (const j of mergeAfter(wildByHost.get(w.host)!, stars, i)) pair(w, wild[j]);
        const suffix = w.host.slice(1);
        if (w.host === '*' || !suffix.startsWith('.')) {
          for (const [h, l] of exact) if (w.host === '*' || h.endsWith(suffix)) for (const u of l) pair(w, u);
        } else for (const k of bySuffix.get(suffix) ?? []) for (const u of exactLists[k]) pair(w, u);
      }
    }
    const out: Finding[] = [];
    // Thousands of uses of one host name the same partner: its related location, and the message for each way of
    // writing the host, are made once per partner.
    const told = new Map<HostUse, { related: RelatedInfo[]; messages: Map<string, string> }>();
    for (const [u, other] of hits) {
      if (!reportable(u.gw)) continue;
      let t = told.get(other);
      if (!t) told.set(other, (t = { related: [related(other.gw, ['spec', 'servers', other.server, 'hosts', other.hostIndex], `Host "${other.raw}" of Gateway ${idOf(other.gw)}`)], messages: new Map() }));
      const sameGateway = other.gw === u.gw;
      const key = `${sameGateway ? 1 : 0}${u.port}\0${u.raw}`;
      let message = t.messages.get(key);
      if (message === undefined) {
        const where = sameGateway ? 'in the same Gateway' : `of Gateway "${idOf(other.gw)}"`;
        t.messages.set(key, (message = `Host "${u.raw}" overlaps host "${other.raw}" ${where} on port ${u.port}.`));
      }
      out.push(finding(this, spanIn(u.gw, ['spec', 'servers', u.server, 'hosts', u.hostIndex]), message, { related: t.related }));
    }
    return out;
  },
};
