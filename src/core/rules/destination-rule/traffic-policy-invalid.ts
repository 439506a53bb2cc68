import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isDns1123Label, isIP, isSet } from '../../istio/validation';
import type { Finding } from '../../types';
import { trafficPolicies } from './policies';

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'] as const;
const PORT_POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'] as const;

/**
 * A traffic policy must configure something, tunnel and proxyProtocol exclude each other, a tunnel uses CONNECT or
 * POST towards a valid host and port, and each portLevelSettings entry needs a port and at least one setting
 * (DR-02, DR-03, DR-05, validateTunnelSettings).
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
      const tunnel = asObject(p.policy.tunnel);
      if (tunnel) {
        const tp = [...p.path, 'tunnel'];
        const proto = tunnel.protocol;
        if (typeof proto === 'string' && proto !== '' && proto !== 'CONNECT' && proto !== 'POST') {
          out.push(finding(this, spanIn(dr, [...tp, 'protocol']), `Tunnel protocol "${proto}" of ${p.where} is not "CONNECT" or "POST".`));
        }
        const host = tunnel.targetHost;
        if (typeof host === 'string' && !isIP(host) && !isFqdn(host)) {
          out.push(finding(this, spanIn(dr, [...tp, 'targetHost']), `Tunnel targetHost "${host}" of ${p.where} is not a valid host name or IP address.`));
        }
        const port = tunnel.targetPort;
        // Below 0 is the CRD's `minimum` finding.
        if (typeof port === 'number' && (port === 0 || port > 65535)) {
          out.push(finding(this, spanIn(dr, [...tp, 'targetPort']), `Tunnel targetPort ${port} of ${p.where} is outside the range 1..65535.`));
        }
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

/** agent.ValidateFQDN: DNS labels throughout (no wildcard), at most 255 characters, a top-level domain not all digits. */
function isFqdn(s: string): boolean {
  if (s === '' || s.length > 255) return false;
  const labels = s.split('.');
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return false;
  return labels.every((l, i) => (i === labels.length - 1 && l === '') || isDns1123Label(l));
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
