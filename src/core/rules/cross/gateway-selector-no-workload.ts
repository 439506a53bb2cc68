import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, reportable } from './model';
import { selects, serviceRegistry, stringMap, REGISTRY_READS } from './service-registry';

/**
 * A Gateway whose selector matches no gateway pod configures nothing: no proxy picks its servers up. Istio's
 * IngressGatewayPortAnalyzer reports it as IST0101. meshtls judges it only where the workspace declares Pods (what
 * `istioctl analyze` reads in file mode) that carry one of the selector's label keys, so a selector typo shows and a
 * repository without the gateway's pods stays silent.
 */
export const gatewaySelectorNoWorkload: WorkspaceRule = {
  id: 'gateway-selector-no-workload',
  istioCode: 'IST0101',
  defaultSeverity: 'error',
  kinds: ['Gateway', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet'],
  reads: ['Gateway', ...REGISTRY_READS],
  summary: 'A Gateway selector must match the labels of a gateway Pod the workspace declares.',
  scope: 'workspace',
  check(ctx) {
    const reg = serviceRegistry(ctx);
    if (!reg.hasBarePods) return [];
    const out: Finding[] = [];
    for (const gw of crossModel(ctx).gateways) {
      if (!reportable(gw)) continue;
      const selector = stringMap(gw.spec.selector);
      const keys = Object.keys(selector);
      if (keys.length === 0) continue;
      if (reg.workloads.some((w) => selects(selector, w.labels))) continue;
      if (!reg.workloads.some((w) => w.bare && keys.some((k) => k in w.labels))) continue;
      const text = keys.map((k) => `${k}=${selector[k]}`).join(',');
      out.push(finding(this, spanIn(gw, ['spec', 'selector', keys[0]]), `Selector "${text}" matches no Pod in the workspace.`));
    }
    return onePerSpan(out);
  },
};
