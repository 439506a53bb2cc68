// Istio's SELECTOR check (validateWorkloadSelector), shared by the PeerAuthentication `selector` and DestinationRule
// `workloadSelector` rules. Label errors (empty keys, wildcards) are the CRDs' own CEL rules (schema-cel-violation);
// a selector without labels, a warning of the webhook's, stays here.
import { finding } from './types';
import type { ResourceRule } from './types';
import { spanIn, type Resource } from '../istio/resource';
import { asObject } from '../istio/validation';
import type { Finding } from '../types';

export function selectorEmpty(rule: ResourceRule, r: Resource, field: string): Finding[] {
  const selector = asObject(r.spec[field]);
  if (!selector) return [];
  const labels = selector.matchLabels;
  // Wrong types are schema findings; only a present selector with no labels at all is this warning.
  if (labels !== undefined && labels !== null && !(asObject(labels) && Object.keys(labels as object).length === 0)) return [];
  const path = labels === undefined || labels === null ? ['spec', field] : ['spec', field, 'matchLabels'];
  return [finding(rule, spanIn(r, path, 'key'), `The ${field} of ${r.kind} "${r.name}" has no labels.`)];
}
