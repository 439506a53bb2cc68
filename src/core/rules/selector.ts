// Istio's SELECTOR check (validateWorkloadSelector), shared by the PeerAuthentication `selector` and DestinationRule
// `workloadSelector` rules: label errors are one rule, a selector without labels (a warning) another.
import { finding } from './types';
import type { ResourceRule } from './types';
import { spanIn, type Resource } from '../istio/resource';
import { asObject, selectorProblems } from '../istio/validation';
import type { Finding } from '../types';

export function selectorErrors(rule: ResourceRule, r: Resource, field: string): Finding[] {
  const labels = asObject(asObject(r.spec[field])?.matchLabels);
  if (!labels) return [];
  return selectorProblems(labels).map((p) =>
    finding(rule, spanIn(r, ['spec', field, 'matchLabels', p.key], p.where === 'key' ? 'key' : 'value'), `The ${field} uses ${p.reason}, which Istio does not support.`),
  );
}

export function selectorEmpty(rule: ResourceRule, r: Resource, field: string): Finding[] {
  const selector = asObject(r.spec[field]);
  if (!selector) return [];
  const labels = selector.matchLabels;
  // Wrong types are schema findings; only a present selector with no labels at all is this warning.
  if (labels !== undefined && labels !== null && !(asObject(labels) && Object.keys(labels as object).length === 0)) return [];
  const path = labels === undefined || labels === null ? ['spec', field] : ['spec', field, 'matchLabels'];
  return [finding(rule, spanIn(r, path, 'key'), `The ${field} of ${r.kind} "${r.name}" has no labels.`)];
}
