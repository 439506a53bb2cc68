import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { asObject } from '../../istio/validation';

const DIGITS = /^[0-9]+$/;

/** portLevelMtls, when present, lists at least one port, and every key is a port number in 1..65535 (PA-02, PA-03). */
export const peerAuthenticationPortLevelInvalid: ResourceRule = {
  id: 'peer-authentication-port-level-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['PeerAuthentication'],
  summary: 'portLevelMtls keys must be port numbers in 1..65535, and the map must not be empty.',
  scope: 'resource',
  check(pa) {
    const ports = asObject(pa.spec.portLevelMtls);
    if (!ports) return [];
    if (Object.keys(ports).length === 0) return [finding(this, spanIn(pa, ['spec', 'portLevelMtls']), `portLevelMtls of PeerAuthentication "${pa.name}" is empty.`)];
    const out: Finding[] = [];
    for (const key of Object.keys(ports)) {
      const n = DIGITS.test(key) ? Number(key) : NaN;
      if (n >= 1 && n <= 65535) continue;
      out.push(finding(this, spanIn(pa, ['spec', 'portLevelMtls', key], 'key'), `portLevelMtls key "${key}" is not a port number in 1..65535.`));
    }
    return out;
  },
};
