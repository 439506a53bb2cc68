import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject } from '../../istio/validation';

/**
 * Port-level mTLS only makes sense for a workload (ports belong to its pods), so a mesh- or namespace-wide policy
 * cannot have portLevelMtls (PA-01).
 */
export const peerAuthenticationPortLevelNeedsSelector: ResourceRule = {
  id: 'peer-authentication-port-level-needs-selector',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['PeerAuthentication'],
  summary: 'portLevelMtls needs a selector with matchLabels; mesh- and namespace-wide policies cannot set it.',
  scope: 'resource',
  check(pa) {
    const ports = asObject(pa.spec.portLevelMtls);
    if (!ports || Object.keys(ports).length === 0) return [];
    const labels = asObject(asObject(pa.spec.selector)?.matchLabels);
    if (labels && Object.keys(labels).length > 0) return [];
    return [
      finding(this, spanIn(pa, ['spec', 'portLevelMtls'], 'key'), `PeerAuthentication "${pa.name}" has no selector labels, so it is mesh- or namespace-wide and cannot set portLevelMtls.`),
    ];
  },
};
