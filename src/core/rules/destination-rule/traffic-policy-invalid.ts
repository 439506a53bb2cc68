import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { trafficPolicies } from './policies';

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'] as const;
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'] as const;

/**
 * A traffic policy must configure something, tunnel and proxyProtocol exclude each other, and each portLevelSettings
 * entry needs a port and at least one setting (DR-02, DR-03, DR-05).
 */
export const destinationRuleTrafficPolicyInvalid: ResourceRule = {
  id: 'destination-rule-traffic-policy-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'Traffic policies and port-level settings must not be empty; tunnel and proxyProtocol exclude each other.',
  scope: 'resource',
  check(dr) {
    const out: Finding[] = [];
    for (const p of trafficPolicies(dr)) {
      if (!POLICY_FIELDS.some((f) => p.policy[f] !== undefined && p.policy[f] !== null)) {
        out.push(finding(this, spanIn(dr, p.path, 'key'), `${cap(p.where)} sets no policy.`));
      }
      if (isSet(p.policy.tunnel) && isSet(p.policy.proxyProtocol)) {
        out.push(finding(this, spanIn(dr, [...p.path, 'proxyProtocol'], 'key'), `${cap(p.where)} sets both tunnel and proxyProtocol.`));
      }
      const ports = Array.isArray(p.policy.portLevelSettings) ? p.policy.portLevelSettings : [];
      ports.forEach((ps, i) => {
        const at = [...p.path, 'portLevelSettings', i];
        const o = asObject(ps);
        if (ps === null) out.push(finding(this, spanIn(dr, at), `portLevelSettings entry #${i} of ${p.where} is empty.`));
        if (!o) return;
        if (o.port === undefined || o.port === null) out.push(finding(this, spanIn(dr, at), `portLevelSettings entry #${i} of ${p.where} has no port.`));
        else if (!PORT_POLICY_FIELDS.some((f) => o[f] !== undefined && o[f] !== null)) {
          out.push(finding(this, spanIn(dr, [...at, 'port'], 'key'), `portLevelSettings entry #${i} of ${p.where} sets no policy.`));
        }
      });
    }
    return out;
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
