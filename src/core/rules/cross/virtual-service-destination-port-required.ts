import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { onePerSpan, related } from './model';
import { judgedDestinations, resolveHost, REGISTRY_READS } from './service-registry';

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
    const out: Finding[] = [];
    for (const { vs, d, reg } of judgedDestinations(ctx)) {
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
    return onePerSpan(out);
  },
};
