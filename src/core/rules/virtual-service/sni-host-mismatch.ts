import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { hostsOf, hostSubsetOf, matchesOf, routesOf } from './routes';
import { sniHostVerdict } from './match-invalid';

/**
 * A TLS route's sniHosts must each fall within one of the VirtualService's hosts (VT-07); otherwise the route could
 * never see that SNI.
 */
export const virtualServiceSniHostMismatch: ResourceRule = {
  id: 'virtual-service-sni-host-mismatch',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'Each TLS sniHosts entry must be covered by one of the VirtualService hosts.',
  scope: 'resource',
  check(vs) {
    const hosts = hostsOf(vs);
    if (hosts.length === 0) return [];
    const out: Finding[] = [];
    for (const r of routesOf(vs, 'tls')) {
      for (const m of matchesOf(r)) {
        const sni = m.match?.sniHosts;
        if (!Array.isArray(sni)) continue;
        sni.forEach((s, i) => {
          if (typeof s !== 'string' || s === '' || hosts.some((h) => hostSubsetOf(s, h))) return;
          // Istio stops at an invalid name or an IP address (match-invalid reports those) before comparing hosts.
          const v = sniHostVerdict(vs, s);
          if (v.error || v.warning) return;
          out.push(
            finding(this, spanIn(vs, [...m.path, 'sniHosts', i]), `SNI host "${s}" is not covered by any host of VirtualService "${vs.name}" (${hosts.join(', ')}).`, {
              related: [{ ...spanIn(vs, ['spec', 'hosts'], 'key'), message: 'The VirtualService hosts.' }],
            }),
          );
        });
      }
    }
    return out;
  },
};
