import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, related, reportable } from './model';
import { resolveHost, routeDestinations, serviceRegistry, REGISTRY_READS } from './service-registry';

/**
 * A destination without `port` to a service that exposes several ports is ambiguous: Istio's DestinationHostAnalyzer
 * reports IST0112, and which port the traffic reaches depends on the listener it arrives on.
 */
export const virtualServiceDestinationPortRequired: WorkspaceRule = {
  id: 'virtual-service-destination-port-required',
  istioCode: 'IST0112',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Service', 'ServiceEntry'],
  reads: ['VirtualService', ...REGISTRY_READS],
  summary: 'A route destination to a service with several ports must name the port.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const reg = serviceRegistry(ctx);
    if (reg.services.length === 0 && !reg.hasServiceEntries) return [];
    const out: Finding[] = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      for (const d of routeDestinations(vs.spec)) {
        if (d.port !== undefined || d.host === '') continue;
        const r = resolveHost(reg, vs, d.host);
        if (!('entry' in r) || !r.entry.portsKnown || r.entry.ports.length < 2) continue;
        const { entry } = r;
        const kind = entry.source.kind === 'Service' ? 'Service' : 'ServiceEntry';
        out.push(
          finding(this, spanIn(vs, ['spec', ...d.path, 'host']), `Host "${d.host}" exposes several ports (${entry.ports.join(', ')}), so the destination must name one.`, {
            related: [related(entry.source, ['spec', 'ports'], `Ports of ${kind} ${entry.source.namespace}/${entry.source.name}`)],
          }),
        );
      }
    }
    return onePerSpan(out);
  },
};
