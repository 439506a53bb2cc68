import { finding, type WorkspaceRule } from '../types';
import { spanIn } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, reportable, stringList } from './model';
import { knownNamespaces } from './destination-rule-hosts';

/**
 * An `exportTo` entry naming a namespace that the workspace never mentions, in a workspace that declares its
 * namespaces (Namespace manifests): most often a typo, and the resource is then visible where it was not meant to be,
 * or nowhere it was meant to be (Kiali KIA0005). Silent when the workspace declares no Namespace at all.
 */
export const exportToUnknownNamespace: WorkspaceRule = {
  id: 'export-to-unknown-namespace',
  kialiCode: 'KIA0005',
  defaultSeverity: 'warning',
  kinds: ['VirtualService', 'DestinationRule', 'Namespace'],
  reads: ['VirtualService', 'DestinationRule', 'Namespace'],
  summary: 'exportTo must name namespaces the workspace declares, when it declares any.',
  scope: 'workspace',
  check(ctx) {
    if (ctx.index.ofKind('Namespace').length === 0) return [];
    const model = crossModel(ctx);
    const namespaces = knownNamespaces(ctx.index, ctx.config.rootNamespace);
    const out: Finding[] = [];
    for (const r of [...model.virtualServices, ...model.destinationRules]) {
      if (!reportable(r)) continue;
      for (const { value, index } of stringList(r.spec.exportTo)) {
        if (value === '.' || value === '*' || value === '~' || namespaces.has(value)) continue;
        out.push(finding(this, spanIn(r, ['spec', 'exportTo', index]), `exportTo names namespace "${value}", which no Namespace or resource in the workspace declares.`));
      }
    }
    return out;
  },
};
