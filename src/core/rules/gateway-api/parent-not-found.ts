import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import { insertAfterKey } from '../../yaml/edits';
import type { Finding, Fix, RelatedInfo } from '../../types';
import { routeParents, GATEWAY_API_RULE_READS } from './common';

/**
 * A parentRef whose Gateway (or ListenerSet) does not exist gets no parent status at all from istiod
 * (`extractParentReferenceInfo` finds no candidate), so nothing tells the user the route is unattached. The usual
 * cause is a route in an application namespace that leaves `namespace` out: the ref then means the route's namespace.
 */
export const gatewayApiParentNotFound: WorkspaceRule = {
  id: 'gateway-api-parent-not-found',
  defaultSeverity: 'error',
  kinds: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'K8sGateway', 'ListenerSet'],
  summary: 'A route parentRef names a Gateway or ListenerSet that is not in the workspace.',
  scope: 'workspace',
  reads: GATEWAY_API_RULE_READS,
  check(ctx) {
    const out: Finding[] = [];
    let byName: Map<string, Resource[]> | undefined;
    for (const { route, ref, attachment } of routeParents(ctx.index, ctx.config.targetIstioVersion)) {
      if (!attachment || attachment === 'unknown' || attachment.parent || !ref.name) continue;
      if (!byName) {
        byName = new Map();
        for (const r of [...ctx.index.ofKind('K8sGateway'), ...ctx.index.ofKind('ListenerSet')]) byName.set(`${r.kind}/${r.name}`, [...(byName.get(`${r.kind}/${r.name}`) ?? []), r]);
      }
      const internal = ref.kind === 'Gateway' ? 'K8sGateway' : ref.kind;
      const elsewhere = byName.get(`${internal}/${ref.name}`) ?? [];
      const related: RelatedInfo[] = elsewhere.slice(0, 3).map((r) => ({ ...spanIn(r, ['metadata', 'name']), message: `${ref.kind} ${r.namespace}/${r.name}` }));
      const fixes: Fix[] = [];
      if (elsewhere.length === 1) {
        const ns = elsewhere[0].namespace;
        const edit = ref.namespaceSet
          ? { ...spanIn(route, [...ref.path, 'namespace']), newText: ns }
          : insertAfterKey(route.doc, [...route.path, ...ref.path], 'name', [`namespace: ${ns}`]);
        if (edit) fixes.push({ title: ref.namespaceSet ? `Change namespace to \`${ns}\`` : `Add \`namespace: ${ns}\``, edits: [edit], preferred: true });
      }
      const hint = !ref.namespaceSet && elsewhere.length ? ` (the parentRef has no namespace, so it means the route's own; ${ref.kind} "${ref.name}" is in ${elsewhere.map((r) => `"${r.namespace}"`).join(', ')})` : '';
      out.push(finding(this, spanIn(route, [...ref.path, ref.namespaceSet ? 'namespace' : 'name']), `${ref.kind} "${ref.name}" not found in namespace "${ref.namespace}"${hint}, so Istio attaches the route nowhere and writes no status.`, { related, fixes }));
    }
    return out;
  },
};
