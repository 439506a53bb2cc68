import type { ResourceRule } from '../types';
import { selectorErrors } from '../selector';

/** workloadSelector labels may not have an empty key or a `*` in a key or value (DR-07). */
export const destinationRuleWorkloadSelectorInvalid: ResourceRule = {
  id: 'destination-rule-workload-selector-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'workloadSelector.matchLabels cannot have empty keys or wildcards.',
  scope: 'resource',
  check(dr) {
    return selectorErrors(this, dr, 'workloadSelector');
  },
};
