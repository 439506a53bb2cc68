import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, related, reportable } from './model';
import { resolveHost, selects, serviceRegistry, stringMap, REGISTRY_READS } from './service-registry';

/**
 * A subset whose labels, together with the Service's selector, match no pod has no endpoints: traffic routed to it
 * fails with 503 `UH` (no healthy upstream). Istio's DestinationRule subset analyzer reports IST0173, reading pod
 * labels augmented with their Node's topology labels. meshtls judges a subset only when the workspace declares the
 * Service's pods in the DestinationRule's own deployment unit: some Pod or pod template in the Service's namespace that
 * the Service selects, or, when the unit describes workloads only as Pods (as `istioctl analyze` files do), those.
 */
export const destinationRuleSubsetNoPods: WorkspaceRule = {
  id: 'destination-rule-subset-no-pods',
  istioCode: 'IST0173',
  defaultSeverity: 'error',
  kinds: ['DestinationRule', 'Service', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Node'],
  reads: ['DestinationRule', ...REGISTRY_READS],
  summary: 'A DestinationRule subset must select some pod of its Service.',
  scope: 'workspace',
  check(ctx) {
    const reg = serviceRegistry(ctx);
    if (reg.workloads.length === 0 || reg.services.length === 0) return [];
    const out: Finding[] = [];
    for (const dr of crossModel(ctx).destinationRules) {
      if (!reportable(dr) || typeof dr.spec.host !== 'string' || !Array.isArray(dr.spec.subsets)) continue;
      const r = resolveHost(reg, dr, dr.spec.host);
      if (!('entry' in r) || r.entry.source.kind !== 'Service' || !r.entry.selector || Object.keys(r.entry.selector).length === 0) continue;
      const svc = r.entry.source;
      const selector = r.entry.selector;
      const pods = reg.workloads.filter((w) => w.namespace === svc.namespace || !svc.nsKnown);
      // The DestinationRule's own unit declares the Service's pods: some pod it selects, or only bare Pods.
      const own = reg.workloads.filter((w) => w.unitId === dr.unit.id);
      const declared = own.some((w) => pods.includes(w) && selects(selector, w.labels)) || (own.length > 0 && own.every((w) => w.bare));
      if (!declared) continue;
      dr.spec.subsets.forEach((s, i) => {
        if (!isObject(s) || typeof s.name !== 'string' || !isObject(s.labels)) return;
        const labels = stringMap(s.labels);
        if (Object.keys(labels).length === 0) return;
        const merged = { ...selector, ...labels };
        if (pods.some((w) => selects(merged, w.labels))) return;
        out.push(
          finding(this, spanIn(dr, ['spec', 'subsets', i, 'labels']), `Subset "${s.name}" selects no pod of Service ${svc.namespace}/${svc.name} (labels ${Object.entries(merged).map(([k, v]) => `${k}=${v}`).join(',')}).`, {
            related: [related(svc, ['spec', 'selector'], `Selector of Service ${svc.namespace}/${svc.name}`)],
          }),
        );
      });
    }
    return onePerSpan(out);
  },
};
