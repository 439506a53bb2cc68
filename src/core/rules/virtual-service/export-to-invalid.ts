import { finding, type ResourceRule } from '../types';
import { spanIn } from '../../istio/resource';
import { exportToProblems } from '../../istio/validation';

/** exportTo entries are ".", "*" or namespace names, without repeats or "*" mixed with names (VS-11). */
export const virtualServiceExportToInvalid: ResourceRule = {
  id: 'virtual-service-export-to-invalid',
  istioCode: 'IST0106',
  defaultSeverity: 'error',
  kinds: ['VirtualService'],
  summary: 'exportTo must list ".", "*" or namespace names, each once, and not "*" together with names.',
  scope: 'resource',
  check(vs) {
    const list = vs.spec.exportTo;
    if (!Array.isArray(list)) return [];
    return exportToProblems(list, vs.namespace).map((p) => {
      const related = p.firstIndex === undefined ? [] : [{ ...spanIn(vs, ['spec', 'exportTo', p.firstIndex]), message: 'The earlier entry.' }];
      return finding(this, spanIn(vs, ['spec', 'exportTo', p.index]), p.message, { related });
    });
  },
};
