import type { ResourceRule } from '../types';
import { selectorEmpty } from '../selector';

/** A workloadSelector without labels is almost always unfinished; Istio warns (DR-07). */
export const destinationRuleWorkloadSelectorEmpty: ResourceRule = {
  id: 'destination-rule-workload-selector-empty',
  istioCode: 'IST0133',
  defaultSeverity: 'warning',
  kinds: ['DestinationRule'],
  summary: 'A workloadSelector needs matchLabels.',
  scope: 'resource',
  check(dr) {
    return selectorEmpty(this, dr, 'workloadSelector');
  },
};
