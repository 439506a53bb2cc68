import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { boundToMesh, crossModel, related, reportable, stringList } from './model';

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
    const out: Finding[] = [];
    for (const [key, list] of byScopedHost) {
      if (list.length < 2) continue;
      for (const cur of list) {
        if (!reportable(cur.vs)) continue;
        const others = list.filter((o) => o.vs !== cur.vs);
        if (others.length === 0) continue; // a host repeated inside one VirtualService is a webhook error (VS-08)
        const names = [...new Set(others.map((o) => `"${o.vs.namespace}/${o.vs.name}"`))];
        const host = key.slice(key.indexOf('/') + 1);
        const shown = host === cur.host ? `"${cur.host}"` : `"${cur.host}" (${host})`;
        const message = `Host ${shown} is also defined for the mesh by VirtualService${names.length > 1 ? 's' : ''} ${names.join(', ')}.`;
        out.push(
          finding(this, spanIn(cur.vs, ['spec', 'hosts', cur.index]), message, {
            related: others.slice(0, 10).map((o) => related(o.vs, ['spec', 'hosts', o.index], `Same host in VirtualService ${o.vs.namespace}/${o.vs.name}`)),
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
