import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { byUnit, crossModel, matchLabels, onePerSpan, related, reportable, selectorKey } from './model';

/**
 * istiod applies one mesh-wide policy (selector-less, root namespace), one namespace-wide policy (selector-less) per
 * namespace and one workload policy per workload; when several compete, the oldest wins and the others are ignored
 * without any status. Two policies with the same scope are therefore a mistake waiting for the next re-create.
 */
export const peerAuthenticationDuplicateScope: WorkspaceRule = {
  id: 'peer-authentication-duplicate-scope',
  kialiCode: 'KIA0002, KIA0003',
  defaultSeverity: 'warning',
  kinds: ['PeerAuthentication'],
  reads: ['PeerAuthentication'],
  summary: 'Only one PeerAuthentication per scope (mesh, namespace, same selector) takes effect.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const root = ctx.config.rootNamespace;
    const out: Finding[] = [];
    for (const [ns, all] of model.peerAuthenticationsByNs) {
      if (all.length < 2) continue;
      // Only policies of one deployment unit are in the cluster together.
      for (const list of byUnit(all)) {
        if (list.length < 2) continue;
        const first = new Map<string, Resource>();
        const reported = new Set<Resource>();
        for (const pa of list) {
          const sel = matchLabels(pa);
          // Selector policies in the root namespace are ignored altogether (peer-authentication-root-selector).
          if (sel && ns === root) continue;
          const key = sel ? selectorKey(sel) : '';
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, pa);
            continue;
          }
          if (earlier.name === pa.name && earlier.namespace === pa.namespace) continue;
          // Which of the two is older is decided by creation time, not by file order: both are reported.
          const scope = !sel ? (ns === root ? `mesh-wide policies in root namespace "${ns}"` : `namespace-wide policies in namespace "${ns}"`) : `policies selecting the same workloads (${key})`;
          const report = (self: Resource, other: Resource) => {
            if (!reportable(self)) return;
            out.push(
              finding(this, spanIn(self, ['metadata', 'name']), `PeerAuthentications "${self.name}" and "${other.name}" are both ${scope}; only the oldest one takes effect.`, {
                related: [related(other, ['metadata', 'name'], `Other PeerAuthentication with the same scope: ${other.namespace}/${other.name}`)],
              }),
            );
          };
          if (!reported.has(earlier)) {
            reported.add(earlier);
            report(earlier, pa);
          }
          report(pa, earlier);
        }
      }
    }
    return onePerSpan(out);
  },
};
