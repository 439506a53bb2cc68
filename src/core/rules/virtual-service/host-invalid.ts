import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isIP, wildcardDomainProblem } from '../../istio/validation';
import type { Finding } from '../../types';
import { appliesToMesh } from './routes';

const AUTO_SNI_HOST = /^outbound_\.[0-9]+_\._\./;

/**
 * Each host must be a valid (wildcard) domain, short name or IP (VS-06), and `*` alone is refused for mesh-bound
 * VirtualServices because it would capture all sidecar traffic (VS-07).
 */
export const virtualServiceHostInvalid: ResourceRule = {
  id: 'virtual-service-host-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'VirtualService hosts must be valid names; "*" is only allowed for gateway-bound VirtualServices.',
  scope: 'resource',
  check(vs) {
    const out: Finding[] = [];
    const mesh = appliesToMesh(vs);
    const gatewayOnlyTls = !mesh && Array.isArray(vs.spec.tls) && vs.spec.tls.length > 0;
    const raw = Array.isArray(vs.spec.hosts) ? vs.spec.hosts : [];
    raw.forEach((h, i) => {
      if (typeof h !== 'string') return;
      const span = spanIn(vs, ['spec', 'hosts', i]);
      if (h === '*') {
        if (mesh) out.push(finding(this, span, `Host "*" is not allowed on VirtualService "${vs.name}", which applies to the mesh (sidecars).`));
        return;
      }
      // Istio also accepts the SNI form it generates for gateway-only TLS routes.
      if (isIP(h) || (gatewayOnlyTls && AUTO_SNI_HOST.test(h))) return;
      const problem = wildcardDomainProblem(h);
      if (problem) out.push(finding(this, span, `Host "${h}" is not a valid host name: ${problem}.`));
    });
    return out;
  },
};
