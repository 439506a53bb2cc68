import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { gatewaySelector } from '../../istio/gateway';
import type { Finding, RelatedInfo } from '../../types';
import { crossModel, idOf, onePerSpan, othersIn, quotedNames, related, reportable, selectorKey, serversOf } from './model';
import { SelectorIndex } from './selector-index';

interface HostUse {
  gw: Resource;
  server: number;
  hostIndex: number;
  host: string;
  port: number;
}

/**
 * Two Gateways with the same selector that declare the same host on the same port and bind end up on one proxy
 * listener; istiod keeps one server and drops the other, so which routes win depends on creation order
 * (istioctl analyze: IST0145 ConflictingGateways, reported on both Gateways). Like Istio, selectors where one is a
 * subset of the other conflict too when a Pod in the workspace carries the larger one (it then runs both Gateways).
 * Only Gateways of one deployment unit are compared: files that are never applied together cannot conflict.
 */
export const gatewayConflict: WorkspaceRule = {
  id: 'gateway-conflict',
  istioCode: 'IST0145',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  reads: ['Gateway', 'Pod'],
  summary: 'Gateways with the same selector must not declare the same host on the same port.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    // One key per (selector, unit, port, bind, exact host string): Istio ignores protocol and TLS settings here.
    const uses = new Map<string, HostUse[]>();
    // The same without the selector, to find selectors nested in one another (only when there are Pods to run both).
    const nested = new Map<string, Map<string, string>>();
    // Only a host string written more than once can conflict: counting them first spares building a key per host of
    // a workspace whose hosts are all different (20,000 Gateways, one host each).
    const written = new Map<string, number>();
    for (const gw of model.gateways) {
      for (const s of serversOf(model, gw)) {
        if (typeof s.port?.number === 'number') for (const host of s.hosts) written.set(host, (written.get(host) ?? 0) + 1);
      }
    }
    for (const gw of model.gateways) {
      let sel: string | undefined;
      for (const s of serversOf(model, gw)) {
        const port = s.port?.number;
        if (typeof port !== 'number') continue;
        s.hosts.forEach((host, hostIndex) => {
          if (written.get(host)! < 2) return;
          sel ??= selectorKey(gatewaySelector(gw));
          const where = `${gw.unit.id}\0${port}\0${s.bind ?? ''}\0${host}`;
          const key = `${sel}\0${where}`;
          pushTo(uses, key, { gw, server: s.index, hostIndex, host, port });
          if (model.pods.length === 0) return;
          let bySel = nested.get(where);
          if (!bySel) nested.set(where, (bySel = new Map()));
          bySel.set(sel, key);
        });
      }
    }
    // A group of uses with selector A gains those with selector B ⊋ A (and the other way) when some Pod has B's labels.
    // The nested selectors come from an index, not from comparing every pair of groups: thousands of Gateways on one
    // host, each with a selector of its own, beside one Pod were quadratic (4,000: 8 s).
    const pods = new SelectorIndex<true>();
    if (model.pods.length) for (const p of model.pods) pods.add(p.labels, true);
    const podRuns = new Map<string, boolean>();
    const runsOnPod = (sel: Record<string, string>, key: string) => {
      let yes = podRuns.get(key);
      if (yes === undefined) podRuns.set(key, (yes = pods.containing(sel).length > 0));
      return yes;
    };
    for (const bySel of nested.values()) {
      if (bySel.size < 2) continue;
      const groups = [...bySel.entries()].map(([sel, key]) => ({ key, sel, selector: gatewaySelector(uses.get(key)![0].gw), list: uses.get(key)! }));
      const index = new SelectorIndex<number>();
      groups.forEach((g, i) => index.add(g.selector, i));
      const size = (i: number) => Object.keys(groups[i].selector).length;
      const extra = new Map<string, HostUse[]>();
      groups.forEach((x, i) => {
        // The pairs (A, B) with A ⊊ B that involve this group, in the order a comparison of every ordered pair of
        // groups would meet them, so each list keeps the order it always had: the smaller selectors placed before this
        // one, then the larger ones, then the smaller ones placed after it.
        const smaller = runsOnPod(x.selector, x.sel) ? index.containedIn(x.selector).map((g) => g.items[0]).filter((j) => j !== i && size(j) < size(i)).sort((a, b) => a - b) : [];
        const larger = index.containing(x.selector).map((g) => g.items[0]).filter((j) => j !== i && size(i) < size(j) && runsOnPod(groups[j].selector, groups[j].sel)).sort((a, b) => a - b);
        const order = [...smaller.filter((j) => j < i), ...larger, ...smaller.filter((j) => j > i)];
        if (order.length) extra.set(x.key, [...x.list, ...order.flatMap((j) => groups[j].list)]);
      });
      for (const [key, more] of extra) uses.set(key, more);
    }
    const out: Finding[] = [];
    // Each finding names the first few other users of its host: the same few for every use in a large group.
    const relatedOf = new Map<HostUse, RelatedInfo>();
    const relatedTo = (o: HostUse) => {
      let r = relatedOf.get(o);
      if (!r) relatedOf.set(o, (r = related(o.gw, ['spec', 'servers', o.server, 'hosts', o.hostIndex], `Same host on Gateway ${idOf(o.gw)}`)));
      return r;
    };
    for (const [key, list] of uses) {
      const sel = key.slice(0, key.indexOf('\0'));
      if (list.length < 2) continue;
      const owners = new Set(list.map((u) => idOf(u.gw))).size;
      // Repeats inside one Gateway are gateway-duplicate-server-host's business.
      if (owners < 2) continue;
      // The uses reported from one list share host, port and selector: every one outside the head of the list is told
      // the same thing, so the message and related list are made once per distinct list of others.
      const said = new Map<readonly HostUse[], { message: string; related: RelatedInfo[] }>();
      for (const cur of list) {
        // A group widened by nested selectors also lists the other group's uses; those are reported with their own.
        if (!reportable(cur.gw) || selectorKey(gatewaySelector(cur.gw)) !== sel) continue;
        const { shown, count } = othersIn(list, (u) => idOf(u.gw), idOf(cur.gw), owners);
        let told = said.get(shown);
        if (!told) {
          const names = quotedNames(shown.map((o) => idOf(o.gw)), count);
          const same = shown.every((o) => selectorKey(gatewaySelector(o.gw)) === sel);
          const message = `Host "${cur.host}" on port ${cur.port} conflicts with Gateway${count > 1 ? 's' : ''} ${names}, which ${count > 1 ? 'have' : 'has'} ${same ? 'the same selector' : 'a selector matching the same pods'}.`;
          said.set(shown, (told = { message, related: shown.map(relatedTo) }));
        }
        out.push(finding(this, spanIn(cur.gw, ['spec', 'servers', cur.server, 'hosts', cur.hostIndex]), told.message, { related: told.related }));
      }
    }
    return onePerSpan(out);
  },
};
