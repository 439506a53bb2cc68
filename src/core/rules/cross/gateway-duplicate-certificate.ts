import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { credentialNameSpan, gatewaySelector, type GatewayServer } from '../../istio/gateway';
import type { Finding, RelatedInfo } from '../../types';
import { crossModel, idOf, onePerSpan, othersIn, quotedNames, related, reportable, serversOf } from './model';
import { SelectorIndex } from './selector-index';

interface CertUse {
  gw: Resource;
  server: GatewayServer;
  /** The field that names the certificate, for spans. */
  field: 'credentialName' | 'serverCertificate';
  label: string;
}

/**
 * The same certificate on two Gateways that can run on the same proxy lets HTTP/2 clients reuse one connection
 * for both hosts; the second host's routes are not on that connection's listener and answer 404
 * (istio/istio#32592; istioctl analyze: IST0138).
 */
export const gatewayDuplicateCertificate: WorkspaceRule = {
  id: 'gateway-duplicate-certificate',
  istioCode: 'IST0138',
  defaultSeverity: 'warning',
  kinds: ['Gateway'],
  reads: ['Gateway'],
  summary: 'Two Gateways on the same workload should not serve the same certificate.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    // Group TLS servers by certificate once; only groups with several Gateways need the selector comparison.
    // Only Gateways of one deployment unit can run on the same proxy at the same time: per unit, uses by credential
    // name and by certificate file pair (maps of maps, so no key string is built per server).
    const byUnit = new Map<string, { names: Map<string, CertUse[]>; files: Map<string, CertUse[]> }>();
    const byCert: CertUse[][] = [];
    for (const gw of model.gateways) {
      for (const server of serversOf(model, gw)) {
        const use = certUse(gw, server);
        if (!use) continue;
        let unit = byUnit.get(gw.unit.id);
        if (!unit) byUnit.set(gw.unit.id, (unit = { names: new Map(), files: new Map() }));
        const [groups, key] = use.field === 'credentialName' ? [unit.names, use.label] : [unit.files, `${use.label}\0${String(server.tls?.privateKey)}`];
        const group = groups.get(key);
        if (group) group.push(use);
        else {
          const created = [use];
          groups.set(key, created);
          byCert.push(created);
        }
      }
    }
    const out: Finding[] = [];
    // Each finding names the first few other users of its certificate: the same few for thousands of findings.
    const relatedOf = new Map<CertUse, RelatedInfo>();
    const relatedTo = (o: CertUse) => {
      let r = relatedOf.get(o);
      if (!r) relatedOf.set(o, (r = related(o.gw, ['spec', 'servers', o.server.index, 'tls', o.field], `Same certificate on Gateway ${idOf(o.gw)}`)));
      return r;
    };
    for (const uses of byCert) {
      if (uses.length < 2) continue;
      // Compare distinct selectors, not every pair of servers: a wildcard certificate on hundreds of Gateways of one
      // ingress is one selector. Istio reports Gateway G when another Gateway's selector contains G's (an empty
      // selector is contained in every selector), so the check is asymmetric on purpose. The selectors containing each
      // one come from an index, not from comparing every pair: thousands of Gateways each with a selector of their own
      // sharing one certificate were quadratic.
      const groups = new SelectorIndex<number>();
      const keyOf = uses.map((u, i) => groups.add(gatewaySelector(u.gw), i));
      // Each use's owner (`ns/name`: copies of one Gateway are one owner), worked out once.
      const ids = uses.map((u) => idOf(u.gw));
      const supersets = new Map<string, { list: CertUse[]; owners: number }>();
      for (const g of groups.all()) {
        const containing = groups.containing(g.sel);
        // The uses of every containing group, in workspace order.
        const positions = containing.length === 1 ? containing[0].items : containing.flatMap((c) => c.items).sort((a, b) => a - b);
        supersets.set(g.key, { list: positions.map((i) => uses[i]), owners: new Set(positions.map((i) => ids[i])).size });
      }
      // Every Gateway outside the head of a list is told the same thing: one message and one related list for them all.
      const said = new Map<readonly CertUse[], { message: string; related: RelatedInfo[] }>();
      for (let i = 0; i < uses.length; i++) {
        const cur = uses[i];
        if (!reportable(cur.gw)) continue;
        const { list, owners } = supersets.get(keyOf[i])!;
        // Servers of one Gateway sharing a certificate never clash: only other Gateways count.
        if (owners < 2) continue;
        const { shown, count } = othersIn(list, (u) => idOf(u.gw), ids[i], owners);
        let told = said.get(shown);
        if (!told) {
          // The uses of one group share the certificate's field and label.
          const what = cur.field === 'credentialName' ? `Certificate "${cur.label}"` : `Certificate file "${cur.label}"`;
          const message = `${what} is also used by Gateway${count > 1 ? 's' : ''} ${quotedNames(shown.map((o) => idOf(o.gw)), count)}, so clients that reuse HTTP/2 connections may get 404s.`;
          said.set(shown, (told = { message, related: shown.map(relatedTo) }));
        }
        const span = cur.field === 'credentialName' ? credentialNameSpan(cur.gw, cur.server) : spanIn(cur.gw, ['spec', 'servers', cur.server.index, 'tls', cur.field]);
        out.push(finding(this, span, told.message, { related: told.related }));
      }
    }
    return onePerSpan(out);
  },
};

/** The certificate a server presents, as Istio's analyzer compares it: credentialName, else the file pair. */
function certUse(gw: Resource, server: GatewayServer): CertUse | undefined {
  const tls = server.tls;
  if (!tls) return undefined;
  if (typeof tls.credentialName === 'string' && tls.credentialName !== '') return { gw, server, field: 'credentialName', label: tls.credentialName };
  if (typeof tls.serverCertificate === 'string' && tls.serverCertificate !== '' && typeof tls.privateKey === 'string' && tls.privateKey !== '') {
    return { gw, server, field: 'serverCertificate', label: tls.serverCertificate };
  }
  return undefined;
}

