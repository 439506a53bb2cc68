import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { gatewayServers } from '../../istio/gateway';
import { gatewayHostProblem } from '../../istio/validation';
import type { Finding } from '../../types';
import { serverLabel, serverPath } from './servers';

/**
 * Gateway hosts follow stricter rules than other Istio hosts: `[namespace/]dnsName` with a fully qualified name or
 * `*`, and no partial wildcards (GW-04, GW-05 / Istio's ValidateNamespaceSlashWildcardHostname).
 */
export const gatewayHostInvalid: ResourceRule = {
  id: 'gateway-host-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'Gateway server hosts must be fully qualified names or wildcards like "*.example.com", optionally "ns/"-prefixed.',
  scope: 'resource',
  check(gw) {
    const out: Finding[] = [];
    for (const s of gatewayServers(gw)) {
      const raw = (gw.spec.servers as unknown[])[s.index] as { hosts?: unknown };
      // Missing hosts is the CRD's `required` (schema-required-missing).
      if (raw.hosts === undefined || raw.hosts === null) {
        continue;
      }
      if (Array.isArray(raw.hosts) && raw.hosts.length === 0) {
        out.push(finding(this, spanIn(gw, serverPath(s, 'hosts')), `${serverLabel(s)} has an empty hosts list.`));
        continue;
      }
      if (!Array.isArray(raw.hosts)) continue;
      raw.hosts.forEach((h, i) => {
        if (typeof h !== 'string') return;
        const problem = gatewayHostProblem(h);
        if (problem) out.push(finding(this, spanIn(gw, serverPath(s, 'hosts', i)), `Gateway host "${h}" is invalid: ${problem}.`));
      });
    }
    return out;
  },
};
