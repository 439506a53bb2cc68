import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { isDns1123Label } from '../../istio/validation';

/** Istio's webhook rejects a Gateway whose name is not a DNS-1123 label, e.g. one with a dot (GW-01). */
export const gatewayNameInvalid: ResourceRule = {
  id: 'gateway-name-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['Gateway'],
  summary: 'A Gateway name must be a DNS label (no dots).',
  scope: 'resource',
  check(gw) {
    if (gw.name === '' || isDns1123Label(gw.name)) return [];
    return [finding(this, spanIn(gw, ['metadata', 'name']), `Gateway name "${gw.name}" is not a valid DNS label.`)];
  },
};
