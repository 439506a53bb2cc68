import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, matchLabels, reportable } from './model';

/**
 * istiod skips workload-level PeerAuthentications (those with a selector) that live in the root namespace: only
 * the selector-less mesh-wide policy counts there. A common case is a policy for the ingress gateway pods written
 * into istio-system, which silently does nothing (istio/istio#23284).
 */
export const peerAuthenticationRootSelector: WorkspaceRule = {
  id: 'peer-authentication-root-selector',
  defaultSeverity: 'warning',
  kinds: ['PeerAuthentication'],
  reads: ['PeerAuthentication'],
  summary: 'A PeerAuthentication with a selector in the root namespace is ignored.',
  scope: 'workspace',
  check(ctx) {
    const root = ctx.config.rootNamespace;
    const out: Finding[] = [];
    for (const pa of crossModel(ctx).peerAuthenticationsByNs.get(root) ?? []) {
      if (!reportable(pa) || !matchLabels(pa)) continue;
      out.push(finding(this, spanIn(pa, ['spec', 'selector'], 'key'), `PeerAuthentication "${pa.name}" has a selector in root namespace "${root}", where istiod ignores workload policies.`));
    }
    return out;
  },
};
