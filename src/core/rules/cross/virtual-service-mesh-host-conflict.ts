import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding, RelatedInfo } from '../../types';
import { isObject } from '../../istio/resource';
import { boundToMesh, crossModel, hostsOverlap, idOf, onePerSpan, othersIn, quotedNames, related, reportable, stringList } from './model';

interface HostUse {
  vs: Resource;
  index: number;
  host: string;
  fqdn: string;
  kinds: RouteKinds;
}

/**
 * Sidecars merge every mesh-bound VirtualService for a host into one route table; when two VirtualServices declare
 * the same host, which routes win is undefined (istioctl analyze: IST0109 ConflictingMeshGatewayVirtualServiceHosts).
 */
export const virtualServiceMeshHostConflict: WorkspaceRule = {
  id: 'virtual-service-mesh-host-conflict',
  istioCode: 'IST0109',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  reads: ['VirtualService'],
  summary: 'Two mesh-bound VirtualServices must not declare the same host.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const byScopedHost = new Map<string, HostUse[]>();
    for (const vs of model.virtualServices) {
      if (!boundToMesh(vs)) continue;
      const scope = `${vs.unit.id}\0${exportScope(vs)}`;
      for (const { value, index } of stringList(vs.spec.hosts)) {
        const name = fqdn(value, vs.namespace);
        const key = `${scope}\0${name}`;
        pushTo(byScopedHost, key, { vs, index, host: value, fqdn: name, kinds: routeKinds(vs) });
      }
    }
    // Sidecars in a namespace see its own (exportTo-restricted) VirtualServices and every one exported to all
    // namespaces: Istio adds the latter to each scoped host they match, wildcards included (within one unit).
    const everywhere = [...byScopedHost].map(([key, list]) => ({ parts: key.split('\0'), list })).filter((e) => e.parts[1] === '*');
    const groups: { host: string; all: HostUse[] }[] = [];
    for (const [key, list] of byScopedHost) {
      const [unit, scope, host] = key.split('\0');
      if (scope === '*') {
        groups.push({ host, all: list });
        continue;
      }
      const more = everywhere.filter((e) => e.parts[0] === unit && hostsOverlap(host, e.parts[2])).flatMap((e) => e.list);
      groups.push({ host, all: more.length ? [...list, ...more] : list });
    }
    const out: Finding[] = [];
    // Each finding names the first few other definitions of its host: the same few for thousands of findings.
    const relatedOf = new Map<HostUse, RelatedInfo>();
    const relatedTo = (o: HostUse) => {
      let r = relatedOf.get(o);
      if (!r) relatedOf.set(o, (r = related(o.vs, ['spec', 'hosts', o.index], `Same host in VirtualService ${idOf(o.vs)}`)));
      return r;
    };
    for (const { host: groupHost, all } of groups) {
      if (all.length < 2) continue;
      // The competitors depend only on the route kinds, so each group is filtered once per kind, not once per member
      // (thousands of VirtualServices for one host were a pairwise filter).
      const byKinds = new Map<RouteKinds, { list: HostUse[]; owners: number }>();
      for (const cur of all) {
        if (!reportable(cur.vs)) continue;
        let competing = byKinds.get(cur.kinds);
        if (!competing) {
          const list = all.filter((u) => compete(u.kinds, cur.kinds));
          meshHostConflictStats.filtered += all.length;
          byKinds.set(cur.kinds, (competing = { list, owners: new Set(list.map((u) => idOf(u.vs))).size }));
        }
        const { list, owners } = competing;
        // A host repeated inside one VirtualService is a webhook error (VS-08), not this rule's.
        if (owners < 2) continue;
        const { shown, count } = othersIn(list, (u) => idOf(u.vs), idOf(cur.vs), owners);
        // A wildcard exported everywhere is named with the scoped host it collides with.
        const host = cur.fqdn === groupHost ? cur.fqdn : groupHost;
        const written = host === cur.host ? `"${cur.host}"` : `"${cur.host}" (${host})`;
        const message = `Host ${written} is also defined for the mesh by VirtualService${count > 1 ? 's' : ''} ${quotedNames(shown.map((o) => idOf(o.vs)), count)}.`;
        out.push(
          finding(this, spanIn(cur.vs, ['spec', 'hosts', cur.index]), message, {
            related: shown.map(relatedTo),
          }),
        );
      }
    }
    return onePerSpan(out);
  },
};

/** Host uses filtered for competing route kinds: tests check the work stays linear in a group's size. */
export const meshHostConflictStats = { filtered: 0 };

/**
 * Which route tables a VirtualService fills: sidecars merge http routes with http routes and tls/tcp routes with
 * tls/tcp routes of the same port, so a VirtualService with only \`tls\` routes never competes with one with only
 * \`http\` routes for a host. Those that have both, or neither, compete with everything.
 */
type RouteKinds = 'http' | 'stream' | 'all';

function compete(a: RouteKinds, b: RouteKinds): boolean {
  return a === 'all' || b === 'all' || a === b;
}

function routeKinds(vs: Resource): RouteKinds {
  const has = (k: string) => Array.isArray(vs.spec[k]) && (vs.spec[k] as unknown[]).some(isObject);
  const http = has('http');
  const stream = has('tls') || has('tcp');
  return http && !stream ? 'http' : stream && !http ? 'stream' : 'all';
}

/** Istio's analyzer keys hosts by visibility: `*` when exported everywhere (the default), else the own namespace. */
function exportScope(vs: Resource): string {
  const exportTo = stringList(vs.spec.exportTo).map((e) => e.value);
  return exportTo.length === 0 || exportTo.includes('*') ? '*' : vs.namespace;
}

/** Short names are relative to the VirtualService's namespace. */
function fqdn(host: string, ns: string): string {
  return host.includes('.') || host === '*' ? host : `${host}.${ns}.svc.cluster.local`;
}
