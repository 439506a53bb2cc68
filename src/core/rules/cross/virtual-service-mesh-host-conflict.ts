import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { boundToMesh, crossModel, hostsOverlap, idOf, othersIn, quotedNames, related, reportable, stringList } from './model';

interface HostUse {
  vs: Resource;
  index: number;
  host: string;
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
  summary: 'Two mesh-bound VirtualServices must not declare the same host.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx.index);
    const byScopedHost = new Map<string, HostUse[]>();
    for (const vs of model.virtualServices) {
      if (!boundToMesh(vs)) continue;
      const scope = exportScope(vs);
      for (const { value, index } of stringList(vs.spec.hosts)) {
        const key = `${scope}/${fqdn(value, vs.namespace)}`;
        let list = byScopedHost.get(key);
        if (!list) byScopedHost.set(key, (list = []));
        list.push({ vs, index, host: value });
      }
    }
    // Sidecars in a namespace see its own (exportTo-restricted) VirtualServices and every one exported to all
    // namespaces: Istio adds the latter to each scoped host they match, wildcards included.
    const everywhere = [...byScopedHost].filter(([key]) => key.startsWith('*/'));
    const groups = new Map<string, HostUse[]>();
    for (const [key, list] of byScopedHost) {
      if (key.startsWith('*/')) {
        groups.set(key, list);
        continue;
      }
      const host = key.slice(key.indexOf('/') + 1);
      const more = everywhere.filter(([k]) => hostsOverlap(host, k.slice(2))).flatMap(([, l]) => l);
      groups.set(key, more.length ? [...list, ...more] : list);
    }
    const out: Finding[] = [];
    for (const [key, list] of groups) {
      if (list.length < 2) continue;
      const owners = new Set(list.map((u) => idOf(u.vs))).size;
      // A host repeated inside one VirtualService is a webhook error (VS-08), not this rule's.
      if (owners < 2) continue;
      for (const cur of list) {
        if (!reportable(cur.vs)) continue;
        const { shown, count } = othersIn(list, (u) => idOf(u.vs), idOf(cur.vs), owners);
        const host = key.slice(key.indexOf('/') + 1);
        const written = host === cur.host ? `"${cur.host}"` : `"${cur.host}" (${host})`;
        const message = `Host ${written} is also defined for the mesh by VirtualService${count > 1 ? 's' : ''} ${quotedNames(shown.map((o) => idOf(o.vs)), count)}.`;
        out.push(
          finding(this, spanIn(cur.vs, ['spec', 'hosts', cur.index]), message, {
            related: shown.map((o) => related(o.vs, ['spec', 'hosts', o.index], `Same host in VirtualService ${idOf(o.vs)}`)),
          }),
        );
      }
    }
    return out;
  },
};

/** Istio's analyzer keys hosts by visibility: `*` when exported everywhere (the default), else the own namespace. */
function exportScope(vs: Resource): string {
  const exportTo = stringList(vs.spec.exportTo).map((e) => e.value);
  return exportTo.length === 0 || exportTo.includes('*') ? '*' : vs.namespace;
}

/** Short names are relative to the VirtualService's namespace. */
function fqdn(host: string, ns: string): string {
  return host.includes('.') || host === '*' ? host : `${host}.${ns}.svc.cluster.local`;
}
