import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isIP, isIstioAutoSniName, wildcardDomainProblem } from '../../istio/validation';
import type { Finding } from '../../types';
import { appliesToMesh, gatewayRefs, matchesOf, routesOf } from './routes';

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
    // Istio's appliesToGateway: gateways listed and none of them is "mesh"; isSniHost: some TLS match has sniHosts.
    const gatewayOnly = gatewayRefs(vs).length > 0 && !gatewayRefs(vs).includes('mesh');
    const sni = routesOf(vs, 'tls').some((r) => matchesOf(r).some((m) => Array.isArray(asObject(m.raw)?.sniHosts) && (asObject(m.raw)?.sniHosts as unknown[]).length > 0));
    const gatewayOnlyTls = gatewayOnly && sni;
    const raw = Array.isArray(vs.spec.hosts) ? vs.spec.hosts : [];
    raw.forEach((h, i) => {
      if (typeof h !== 'string') return;
      // Computed only for a finding: every host of every VirtualService comes through here.
      const span = () => spanIn(vs, ['spec', 'hosts', i]);
      if (h === '*') {
        if (mesh) out.push(finding(this, span(), `Host "*" is not allowed on VirtualService "${vs.name}", which applies to the mesh (sidecars).`));
        return;
      }
      // Istio also accepts the SNI form it generates for gateway-only TLS routes.
      if (isIP(h) || (gatewayOnlyTls && isIstioAutoSniName(h))) return;
      const problem = wildcardDomainProblem(h);
      if (problem) out.push(finding(this, span(), `Host "${h}" is not a valid host name: ${problem}.`));
    });
    return out;
  },
};
