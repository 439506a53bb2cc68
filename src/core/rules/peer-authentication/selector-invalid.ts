import type { ResourceRule } from '../types';
import { selectorErrors } from '../selector';

/** Selector labels may not have an empty key or a `*` in a key or value (PA-04). */
export const peerAuthenticationSelectorInvalid: ResourceRule = {
  id: 'peer-authentication-selector-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['PeerAuthentication'],
  summary: 'selector.matchLabels cannot have empty keys or wildcards.',
  scope: 'resource',
  check(pa) {
    return selectorErrors(this, pa, 'selector');
  },
};
