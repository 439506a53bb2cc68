import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { exportToProblems } from '../../istio/validation';
import type { Finding } from '../../types';

/**
 * exportTo entries are ".", "*" or namespace names, without repeats or "*" mixed with names (EXPORTTO); a rule with
 * a workloadSelector applies only to its own namespace, so it may not be exported further (DR-06).
 */
export const destinationRuleExportToInvalid: ResourceRule = {
  id: 'destination-rule-export-to-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['DestinationRule'],
  summary: 'exportTo must list ".", "*" or namespaces once each; with a workloadSelector only the own namespace.',
  scope: 'resource',
  check(dr) {
    const list = dr.spec.exportTo;
    if (!Array.isArray(list)) return [];
    const out: Finding[] = exportToProblems(list, dr.namespace).map((p) => {
      const related = p.firstIndex === undefined ? [] : [{ ...spanIn(dr, ['spec', 'exportTo', p.firstIndex]), message: 'The earlier entry.' }];
      return finding(this, spanIn(dr, ['spec', 'exportTo', p.index]), p.message, { related });
    });
    if (dr.spec.workloadSelector === undefined || dr.spec.workloadSelector === null) return out;
    if (list.length > 1) {
      out.push(finding(this, spanIn(dr, ['spec', 'exportTo']), `DestinationRule "${dr.name}" has a workloadSelector, so exportTo may name only its own namespace once.`));
    } else if (list.length === 1 && typeof list[0] === 'string' && list[0] !== '.' && list[0] !== dr.namespace) {
      out.push(finding(this, spanIn(dr, ['spec', 'exportTo', 0]), `exportTo "${list[0]}" goes beyond namespace "${dr.namespace}", which a DestinationRule with a workloadSelector cannot do.`));
    }
    return out;
  },
};
