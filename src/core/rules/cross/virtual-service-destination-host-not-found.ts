import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { onePerSpan, related } from './model';
import { judgedDestinations, resolveHost, REGISTRY_READS } from './service-registry';

/**
 * A route to a host that no Service or ServiceEntry declares has no cluster behind it: Envoy answers 503 (`NC`/`NR`).
 * Istio's DestinationHostAnalyzer reports it as IST0101. It is judged only where the workspace declares the registry
 * (Services in the host's namespace, or ServiceEntries for other hosts); a repository of Istio YAML alone is silent.
 */
export const virtualServiceDestinationHostNotFound: WorkspaceRule = {
  id: 'virtual-service-destination-host-not-found',
  istioCode: 'IST0101',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Service', 'ServiceEntry'],
  reads: ['VirtualService', ...REGISTRY_READS],
  summary: 'A route destination host (and port) must be a Service or ServiceEntry the VirtualService can see.',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    for (const { vs, d, reg } of judgedDestinations(ctx)) {
      const r = resolveHost(reg, vs, d.host);
      if ('unjudged' in r) continue;
      const path = ['spec', ...d.path];
      const what = d.mirror ? 'Mirror host' : 'Host';
      if ('missing' in r) {
        const message = d.host === '' ? `${d.mirror ? 'Mirror destination' : 'Route destination'} names no host, so it matches no Service or ServiceEntry.` : `${what} "${d.host}" matches no Service or ServiceEntry visible from namespace "${vs.namespace}".`;
        out.push(finding(this, spanIn(vs, d.host === '' ? path : [...path, 'host']), message));
        continue;
      }
      const { entry } = r;
      if (d.port === undefined || !entry.portsKnown || entry.ports.includes(d.port)) continue;
      const kind = entry.source.kind === 'Service' ? 'Service' : 'ServiceEntry';
      out.push(
        finding(this, spanIn(vs, [...path, 'port', 'number']), `${kind} host "${entry.host}" has no port ${d.port} (it declares ${entry.ports.length ? entry.ports.join(', ') : 'none'}).`, {
          related: [related(entry.source, ['spec', 'ports'], `Ports of ${kind} ${entry.source.namespace}/${entry.source.name}`)],
        }),
      );
    }
    return onePerSpan(out);
  },
};
