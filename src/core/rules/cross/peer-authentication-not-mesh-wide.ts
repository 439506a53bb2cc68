import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, matchLabels, reportable } from './model';

/** The namespace Istio installs into and, by default, uses as its root namespace. */
const CONVENTIONAL_ROOT = 'istio-system';

/**
 * A selector-less PeerAuthentication is mesh-wide only in the root namespace (meshConfig.rootNamespace). With a
 * custom root namespace, the usual `default` policy in istio-system only covers istio-system itself. We flag it when
 * the workspace has no mesh-wide policy at all, which is the sign that this one was meant to be it.
 */
export const peerAuthenticationNotMeshWide: WorkspaceRule = {
  id: 'peer-authentication-not-mesh-wide',
  defaultSeverity: 'warning',
  kinds: ['PeerAuthentication'],
  reads: ['PeerAuthentication'],
  summary: 'A selector-less PeerAuthentication in istio-system is not mesh-wide when the root namespace differs.',
  scope: 'workspace',
  check(ctx) {
    const root = ctx.config.rootNamespace;
    if (root === CONVENTIONAL_ROOT) return [];
    const byNs = crossModel(ctx).peerAuthenticationsByNs;
    if ((byNs.get(root) ?? []).some((pa) => !matchLabels(pa))) return [];
    const out: Finding[] = [];
    for (const pa of byNs.get(CONVENTIONAL_ROOT) ?? []) {
      if (!reportable(pa) || matchLabels(pa) || !pa.namespaceSet) continue;
      const span = spanIn(pa, ['metadata', 'namespace']);
      out.push(
        finding(this, span, `PeerAuthentication "${pa.name}" in namespace "${CONVENTIONAL_ROOT}" is only namespace-wide, because the root namespace is "${root}".`, {
          fixes: [{ title: `Move to namespace ${root}`, edits: [{ ...span, newText: root }], preferred: true }],
        }),
      );
    }
    return out;
  },
};
