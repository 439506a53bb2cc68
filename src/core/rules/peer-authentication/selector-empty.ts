import type { ResourceRule } from '../types';
import { selectorEmpty } from '../selector';

/** A selector without labels selects every workload of the namespace; Istio warns because it is rarely meant (PA-05). */
export const peerAuthenticationSelectorEmpty: ResourceRule = {
  id: 'peer-authentication-selector-empty',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['PeerAuthentication'],
  summary: 'A selector without matchLabels acts like no selector; remove it or add labels.',
  scope: 'resource',
  check(pa) {
    return selectorEmpty(this, pa, 'selector');
  },
};
