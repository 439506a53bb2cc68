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
  defaultSeverity: 'warning',
  kinds: ['PeerAuthentication'],
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
          if (!reportable(pa) || (earlier.name === pa.name && earlier.namespace === pa.namespace)) continue;
          const message = !sel
            ? ns === root
              ? `PeerAuthentication "${pa.name}" is a second mesh-wide policy in root namespace "${ns}"; only the oldest one takes effect.`
              : `PeerAuthentication "${pa.name}" is a second namespace-wide policy in namespace "${ns}"; only the oldest one takes effect.`
            : `PeerAuthentication "${pa.name}" selects the same workloads (${key}) as "${earlier.name}"; only the oldest one takes effect.`;
          out.push(
            finding(this, spanIn(pa, ['metadata', 'name']), message, {
              related: [related(earlier, ['metadata', 'name'], `Other PeerAuthentication with the same scope: ${earlier.namespace}/${earlier.name}`)],
            }),
          );
        }
      }
    }
    return onePerSpan(out);
  },
};
