import { finding, type RuleContext, type WorkspaceRule } from '../types';
import { credentialUses } from '../../index/credentials';
import { analyze, CREDENTIAL_READS } from '../credentials/analysis';
import { sansCoverGatewayHost } from '../../certs/hostname';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding, Fix, RelatedInfo } from '../../types';
import { isInternalGatewayRef } from '../../istio/references';
import { gatewayApiGateways } from './gateway-api';
import { appendToSequence, candidatesNote, crossModel, gatewayRefs, hostsOverlap, onePerSpan, related, reportable, serversOf, stringList } from './model';

/** Cap on related locations, so a Gateway with hundreds of hosts does not flood the problem view. */
const MAX_RELATED = 10;

/**
 * A VirtualService bound to a Gateway only takes effect for the hosts the two have in common. When they share none,
 * the routes exist but no request reaches them and the gateway answers 404 (istioctl analyze: IST0132).
 */
export const virtualServiceHostNotInGateway: WorkspaceRule = {
  id: 'virtual-service-host-not-in-gateway',
  istioCode: 'IST0132',
  defaultSeverity: 'warning',
  kinds: ['VirtualService', 'Gateway'],
  reads: ['VirtualService', ...CREDENTIAL_READS],
  summary: "A VirtualService's hosts must match a host of each Gateway it is bound to.",
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const out: Finding[] = [];
    // Many VirtualServices bind to one Gateway with many hosts: index each Gateway instance's hosts once (an edit
    // replaces the instances of the edited documents only, so the others keep their index).
    const indexes = hostIndexes;
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      const vsHosts = stringList(vs.spec.hosts).map((h) => h.value);
      // A delegate VirtualService has no hosts; the webhook rejects one with gateways, so stay quiet here.
      if (vsHosts.length === 0) continue;
      for (const ref of gatewayRefs(vs, model)) {
        const gw = ref.gateway;
        if (isInternalGatewayRef(ref.text)) continue;
        const apiGateway = gw ? undefined : gatewayApiGateways(ctx.index).get(`${ref.namespace}/${ref.name}`);
        if (apiGateway) {
          // A Gateway API Gateway: its listeners' hostnames, where a listener without one accepts every host.
          const names = apiGateway.hostnames;
          if (names.some((h) => h === undefined) || vsHosts.some((v) => names.some((h) => h !== undefined && hostsOverlap(v, h)))) continue;
          const quoted = vsHosts.map((h) => `"${h}"`).join(', ');
          out.push(finding(this, spanIn(vs, ref.path), `${vsHosts.length === 1 ? 'Host' : 'Hosts'} ${quoted} ${vsHosts.length === 1 ? 'is' : 'are'} not served by Gateway API Gateway "${ref.namespace}/${ref.name}".`));
          continue;
        }
        if (!gw) continue; // virtual-service-gateway-not-found reports it; one finding per mistake is enough.
        // A templated Gateway's hosts are placeholders until rendered; comparing them would only produce noise.
        if (ref.candidates.some((c) => c.doc.templated)) continue;
        const indexOf = (g: typeof gw) => {
          let hi = indexes.get(g);
          if (!hi) indexes.set(g, (hi = hostIndex(gatewayHosts(g, serversOf(model, g)))));
          return hi;
        };
        // With several equally near copies of the Gateway (variants in other files), one that serves the host is enough.
        if (ref.candidates.some((c) => vsHosts.some((v) => served(indexOf(c), v, vs.namespace)))) continue;
        const hi = indexOf(gw);
        const hosts = hi.all;
        const relatedInfo: RelatedInfo[] = hosts
          .slice(0, MAX_RELATED)
          .map((h) => related(gw, ['spec', 'servers', h.server, 'hosts', h.index], `Gateway ${gw.namespace}/${gw.name} host "${h.raw}"`));
        const quoted = vsHosts.map((h) => `"${h}"`).join(', ');
        const message =
          vsHosts.length === 1
            ? `Host ${quoted} is not served by Gateway "${gw.namespace}/${gw.name}".`
            : `Hosts ${quoted} are not served by Gateway "${gw.namespace}/${gw.name}".`;
        out.push(finding(this, spanIn(vs, ref.path), message, { related: [...candidatesNote(ref, vs), ...relatedInfo], fixes: addHostFixes(gw, serversOf(model, gw), vsHosts, vs.namespace, (server, host) => certificateCovers(ctx, gw, server, host)) }));
      }
    }
    return onePerSpan(out);
  },
};

interface GatewayHost {
  server: number;
  index: number;
  raw: string;
  host: string;
  /** The namespace the host is published to: `*` for all. */
  ns: string;
}

interface HostIndex {
  all: GatewayHost[];
  /** Non-wildcard host → the namespaces it is visible from. */
  exact: Map<string, Set<string>>;
  /** Wildcard hosts, matched by suffix. */
  wildcards: GatewayHost[];
}

function hostIndex(all: GatewayHost[]): HostIndex {
  const exact = new Map<string, Set<string>>();
  const wildcards: GatewayHost[] = [];
  for (const h of all) {
    if (h.host.startsWith('*')) {
      wildcards.push(h);
      continue;
    }
    let set = exact.get(h.host);
    if (!set) exact.set(h.host, (set = new Set()));
    set.add(h.ns);
  }
  return { all, exact, wildcards };
}

const hostIndexes = new WeakMap<Resource, HostIndex>();

const visible = (ns: string, vsNs: string) => ns === '*' || ns === vsNs;

/** Whether the Gateway serves the VirtualService host `v` to the VirtualService's namespace. */
function served(hi: HostIndex, v: string, vsNs: string): boolean {
  if (v.startsWith('*')) return hi.all.some((h) => visible(h.ns, vsNs) && hostsOverlap(v, h.host));
  const set = hi.exact.get(v);
  if (set && (set.has('*') || set.has(vsNs))) return true;
  return hi.wildcards.some((h) => visible(h.ns, vsNs) && hostsOverlap(v, h.host));
}

/**
 * The Gateway's server hosts as Istio's analyzer normalises them: `./h` means the Gateway's namespace, `*\/h` and a
 * bare `h` mean any namespace; a host is visible to a VirtualService only from the namespace it names.
 */
function gatewayHosts(gw: Resource, servers: { index: number; hosts: string[] }[]): GatewayHost[] {
  const out: GatewayHost[] = [];
  for (const s of servers) {
    s.hosts.forEach((raw, index) => {
      const slash = raw.indexOf('/');
      let ns = '*';
      let host = raw;
      if (slash >= 0) {
        ns = raw.slice(0, slash);
        host = raw.slice(slash + 1);
        if (ns === '.') ns = gw.namespace;
      }
      out.push({ server: s.index, index, raw, host, ns });
    });
  }
  return out;
}

/**
 * Whether the certificate a Gateway server serves covers `host`: true or false when meshtls has the certificate,
 * undefined when the server has none it knows (plain HTTP, a credential not in the workspace).
 */
function certificateCovers(ctx: RuleContext, gw: Resource, server: number, host: string): boolean | undefined {
  const use = credentialUses(ctx.index, ctx.config).find((u) => u.gateway.name === gw.name && u.gateway.namespace === gw.namespace && u.gateway.doc.fileId === gw.doc.fileId && u.server.index === server && u.primary);
  if (!use || use.resolution.status !== 'resolved') return undefined;
  const leaf = analyze(use, ctx).leaf?.cert;
  return leaf ? sansCoverGatewayHost(leaf.dnsNames, leaf.ipAddresses, host) !== false : undefined;
}

/**
 * Adding the host to a server is only a fix when that server can serve it: on a TLS server the certificate must
 * cover the host, or the fix trades this finding for cert-host-mismatch. So the servers whose certificate covers it
 * are offered (and only those, when there are any); otherwise each title says the certificate must be re-issued.
 * Never preferred: which server is meant is the user's call.
 */
function addHostFixes(gw: Resource, servers: { index: number; hosts: string[]; port?: { name?: string } }[], vsHosts: string[], vsNs: string, covers: (server: number, host: string) => boolean | undefined): Fix[] {
  // Gateways reject short names, so only a fully qualified VirtualService host can be copied over.
  const host = vsHosts.find((h) => h.includes('.') && !h.includes('/'));
  if (!host) return [];
  // An `ns/` prefix would be needed when the Gateway already scopes its hosts to namespaces other than the VS's.
  const scoped = servers.some((s) => s.hosts.some((h) => h.includes('/')));
  const value = scoped && vsNs !== gw.namespace ? `${vsNs}/${host}` : host;
  const fixes: Fix[] = [];
  const withHosts = servers.filter((s) => s.hosts.length > 0);
  const coverage = new Map(withHosts.map((s) => [s.index, covers(s.index, host)]));
  const covering = withHosts.filter((s) => coverage.get(s.index) === true);
  for (const s of covering.length ? covering : withHosts) {
    const edit = appendToSequence(gw, ['spec', 'servers', s.index, 'hosts'], value);
    if (!edit) continue;
    const where = withHosts.length > 1 ? ` (server ${s.port?.name ?? `#${s.index}`})` : '';
    const caveat = coverage.get(s.index) === false ? '; its certificate does not cover it and must be re-issued' : '';
    fixes.push({ title: `Add \`${value}\` to Gateway \`${gw.name}\`${where}${caveat}`, edits: [edit], preferred: false });
  }
  return fixes;
}
