import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isIP, wildcardDomainProblem } from '../../istio/validation';

/** The host must be a service name, FQDN or wildcard domain (DR-01); short names and `*` are fine. */
export const destinationRuleHostInvalid: ResourceRule = {
  id: 'destination-rule-host-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'The DestinationRule host must be a valid service name, FQDN or wildcard domain.',
  scope: 'resource',
  check(dr) {
    const host = dr.spec.host;
    // A missing host inside a spec is the CRD's `required` (schema-required-missing). Without any spec the CRD says
    // nothing (spec is optional there), but the webhook still rejects the missing host; an empty host only it rejects.
    if ((host === undefined || host === null) && 'spec' in dr.value && dr.value.spec !== null) return [];
    if (host === undefined || host === null || host === '') {
      const span = 'host' in dr.spec ? spanIn(dr, ['spec', 'host'], 'key') : 'spec' in dr.value ? spanIn(dr, ['spec'], 'key') : spanIn(dr, ['kind']);
      return [finding(this, span, `DestinationRule "${dr.name}" has no host.`)];
    }
    if (typeof host !== 'string' || host === '*' || isIP(host)) return [];
    const problem = wildcardDomainProblem(host);
    return problem ? [finding(this, spanIn(dr, ['spec', 'host']), `Host "${host}" is not a valid host name: ${problem}.`)] : [];
  },
};
