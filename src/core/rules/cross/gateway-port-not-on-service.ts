import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, related, reportable } from './model';
import { selects, serviceRegistry, stringMap, type RegistryEntry, REGISTRY_READS } from './service-registry';

/**
 * A Gateway server port that no Service of the gateway pods exposes is unreachable from outside the cluster: the
 * proxy listens, but nothing routes to it. Istio's IngressGatewayPortAnalyzer reports IST0162. A port counts when it
 * is a TCP Service's `targetPort` (the port the pod listens on) or its `port` (Istio translates a server port equal
 * to the Service port to its target port). Judged only when the workspace declares the gateway pods (Pods or a
 * Deployment's template) and at least one Service selecting them.
 */
export const gatewayPortNotOnService: WorkspaceRule = {
  id: 'gateway-port-not-on-service',
  istioCode: 'IST0162',
  defaultSeverity: 'warning',
  kinds: ['Gateway', 'Service', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet'],
  reads: ['Gateway', ...REGISTRY_READS],
  summary: 'A Gateway server port must be exposed by a Service that selects the gateway pods.',
  scope: 'workspace',
  check(ctx) {
    const reg = serviceRegistry(ctx);
    if (reg.workloads.length === 0 || reg.services.length === 0) return [];
    const out: Finding[] = [];
    for (const gw of crossModel(ctx).gateways) {
      if (!reportable(gw) || !Array.isArray(gw.spec.servers)) continue;
      const selector = stringMap(gw.spec.selector);
      const pods = reg.workloads.filter((w) => selects(selector, w.labels));
      if (pods.length === 0) continue;
      const ports = new Set<number>();
      const services = new Set<RegistryEntry['source']>();
      let unknown = false;
      for (const pod of pods) {
        for (const svc of reg.services) {
          if (svc.namespace !== pod.namespace || !isObject(svc.spec.selector)) continue;
          const sel = stringMap(svc.spec.selector);
          if (Object.keys(sel).length === 0 || !selects(sel, pod.labels)) continue;
          // A kustomize build may patch the ports: the exposure is not known.
          if (svc.unit.kind === 'kustomize') unknown = true;
          services.add(svc);
          for (const p of Array.isArray(svc.spec.ports) ? svc.spec.ports : []) {
            if (!isObject(p) || (p.protocol !== undefined && p.protocol !== 'TCP')) continue;
            if (typeof p.port === 'number') ports.add(p.port);
            if (typeof p.targetPort === 'number') ports.add(p.targetPort);
            else if (typeof p.targetPort === 'string') {
              const n = /^\d+$/.test(p.targetPort) ? Number(p.targetPort) : pod.namedPorts.get(p.targetPort);
              if (n === undefined) unknown = true;
              else ports.add(n);
            }
          }
        }
      }
      // Without a Service in the workspace the exposure is decided elsewhere; a named target port the pods do not
      // declare cannot be resolved.
      if (services.size === 0 || unknown) continue;
      const first = [...services][0];
      const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
      gw.spec.servers.forEach((s, i) => {
        if (!isObject(s) || !isObject(s.port) || typeof s.port.number !== 'number' || ports.has(s.port.number)) return;
        out.push(
          finding(this, spanIn(gw, ['spec', 'servers', i, 'port', 'number']), `Port ${s.port.number} is not exposed by any Service of the gateway pods (selector "${sel}").`, {
            related: [related(first, ['spec', 'ports'], `Ports of Service ${first.namespace}/${first.name}: ${[...ports].sort((a, b) => a - b).join(', ')}`)],
          }),
        );
      });
    }
    return onePerSpan(out);
  },
};
