import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { asObject, isDns1123Label, isLabelKey, isLabelValue } from '../../istio/validation';
import type { Finding } from '../../types';

/** Subsets: no empty entries, unique DNS-label names, well-formed labels (DR-04). */
export const destinationRuleSubsetInvalid: ResourceRule = {
  id: 'destination-rule-subset-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'Subsets need unique DNS-label names and valid labels.',
  scope: 'resource',
  check(dr) {
    const subsets = dr.spec.subsets;
    if (!Array.isArray(subsets)) return [];
    const out: Finding[] = [];
    const first = new Map<string, number>();
    subsets.forEach((s, i) => {
      if (s === null) {
        out.push(finding(this, spanIn(dr, ['spec', 'subsets', i]), `Subset #${i} of DestinationRule "${dr.name}" is empty.`));
        return;
      }
      const sub = asObject(s);
      if (!sub) return;
      const name = sub.name;
      // A missing name is the CRD's `required` (schema-required-missing); an empty one only the webhook rejects.
      if (name === '') out.push(finding(this, spanIn(dr, ['spec', 'subsets', i]), `Subset #${i} of DestinationRule "${dr.name}" has no name.`));
      else if (typeof name === 'string') {
        // Computed only for a finding: every subset of every DestinationRule comes through here.
        const at = () => spanIn(dr, ['spec', 'subsets', i, 'name']);
        const earlier = first.get(name);
        if (!isDns1123Label(name)) out.push(finding(this, at(), `Subset name "${name}" is not a valid DNS label.`));
        else if (earlier !== undefined) {
          const other = spanIn(dr, ['spec', 'subsets', earlier, 'name']);
          out.push(finding(this, at(), `Subset name "${name}" is already used by subset #${earlier}.`, { related: [{ ...other, message: `First subset named "${name}".` }] }));
        }
        if (earlier === undefined) first.set(name, i);
      }
      const labels = asObject(sub.labels);
      if (!labels) return;
      for (const [k, v] of Object.entries(labels)) {
        if (!isLabelKey(k)) out.push(finding(this, spanIn(dr, ['spec', 'subsets', i, 'labels', k], 'key'), `Subset label key "${k}" is not a valid label name.`));
        else if (typeof v === 'string' && !isLabelValue(v)) out.push(finding(this, spanIn(dr, ['spec', 'subsets', i, 'labels', k]), `Subset label value "${v}" of "${k}" is not a valid label value.`));
      }
    });
    return out;
  },
};
