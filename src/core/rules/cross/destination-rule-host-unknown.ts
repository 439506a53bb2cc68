import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, onePerSpan, reportable } from './model';
import { resolveHost, serviceRegistry, REGISTRY_READS } from './service-registry';

/**
 * A DestinationRule for a host that no Service or ServiceEntry declares applies to nothing (often a typo or a stale
 * rule). Istio's DestinationRule subset analyzer reports IST0174. Judged only where the workspace declares the
 * registry for that host (Services in its namespace, or ServiceEntries for other hosts), or everywhere when
 * `.meshtls.yaml` says `completeRegistry: true` (what istioctl assumes of the files it analyzes); wildcard hosts never.
 */
export const destinationRuleHostUnknown: WorkspaceRule = {
  id: 'destination-rule-host-unknown',
  istioCode: 'IST0174',
  defaultSeverity: 'warning',
  kinds: ['DestinationRule', 'Service', 'ServiceEntry'],
  reads: ['DestinationRule', ...REGISTRY_READS],
  summary: 'A DestinationRule host should be a Service or ServiceEntry the workspace declares.',
  scope: 'workspace',
  check(ctx) {
    const reg = serviceRegistry(ctx);
    if (reg.services.length === 0 && !reg.hasServiceEntries && !reg.complete) return [];
    const out: Finding[] = [];
    for (const dr of crossModel(ctx).destinationRules) {
      if (!reportable(dr) || typeof dr.spec.host !== 'string' || dr.spec.host === '' || dr.spec.host.includes('*')) continue;
      const r = resolveHost(reg, dr, dr.spec.host);
      if (!('missing' in r)) continue;
      out.push(finding(this, spanIn(dr, ['spec', 'host']), `Host "${dr.spec.host}" matches no Service or ServiceEntry visible from namespace "${dr.namespace}".`));
    }
    return onePerSpan(out);
  },
};
