import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { istioAtLeast } from '../../istio/versions';
import type { Finding } from '../../types';

/** The first Istio release built on Gateway API v1.5+ (1.30 pins v1.5.1), where ListenerSet is v1 and XListenerSet gone. */
const LISTENER_SET_V1 = '1.30';

/**
 * An XListenerSet (`gateway.networking.x-k8s.io`) is the experimental ListenerSet of Gateway API before v1.5. meshtls
 * checks only the v1 ListenerSet, so without a note its listeners and certificate refs would pass unchecked in silence.
 * One note per resource, at info: the resource is not wrong for releases that read it, only not checked.
 */
export const gatewayApiXListenerSetUnchecked: WorkspaceRule = {
  id: 'gateway-api-x-listener-set-unchecked',
  defaultSeverity: 'info',
  kinds: ['XListenerSet'],
  summary: 'An XListenerSet (gateway.networking.x-k8s.io), the experimental ListenerSet that meshtls does not check.',
  scope: 'workspace',
  check(ctx) {
    const out: Finding[] = [];
    const newer = istioAtLeast(ctx.config.targetIstioVersion, LISTENER_SET_V1);
    for (const r of ctx.index.ofKind('XListenerSet')) {
      const what = `XListenerSet ${r.namespace}/${r.name} (${r.apiVersion})`;
      const message = newer
        ? `${what} is the experimental kind that Gateway API v1.5 replaced by ListenerSet gateway.networking.k8s.io/v1, which Istio 1.30 and later read instead; meshtls does not check its listeners.`
        : `${what} is the experimental ListenerSet that Istio ${ctx.config.targetIstioVersion} may read as an alpha feature; meshtls checks only ListenerSet gateway.networking.k8s.io/v1, so its listeners are not checked.`;
      out.push(finding(this, spanIn(r, ['kind']), message));
    }
    return out;
  },
};
