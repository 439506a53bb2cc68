import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Fix, RelatedInfo } from '../../types';
import { crossModel, editDistance, gatewayRefs, related, reportable, yamlScalar, type GatewayRef } from './model';

/**
 * A VirtualService bound to a Gateway that does not exist is silently unused by istiod: its routes never reach any
 * listener, and the gateway answers 404 (istioctl analyze: IST0101 ReferencedResourceNotFound).
 */
export const virtualServiceGatewayNotFound: WorkspaceRule = {
  id: 'virtual-service-gateway-not-found',
  istioCode: 'IST0101',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Gateway'],
  summary: 'A VirtualService gateways entry must name a Gateway in the workspace.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx.index);
    const out = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      for (const ref of gatewayRefs(vs, model)) {
        if (ref.gateway) continue;
        const near = closestGateways(ref, model.gateways);
        const relatedInfo: RelatedInfo[] = near.length ? [related(near[0], ['metadata', 'name'], `Closest Gateway: ${near[0].namespace}/${near[0].name}`)] : [];
        const fixes: Fix[] = [];
        if (near.length === 1) {
          const replacement = refText(ref, vs, near[0]);
          fixes.push({ title: `Change to \`${replacement}\``, edits: [{ ...spanIn(vs, ['spec', 'gateways', ref.index]), newText: yamlScalar(replacement) }], preferred: true });
        }
        out.push(finding(this, spanIn(vs, ['spec', 'gateways', ref.index]), `Gateway "${ref.name}" not found in namespace "${ref.namespace}".`, { related: relatedInfo, fixes }));
      }
    }
    return out;
  },
};

/** How far a name may be from the reference to count as a likely typo: one edit per four characters, 1..3. */
function typoLimit(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 4)));
}

/** Gateways whose name is a likely typo of the reference (or the same name in another namespace), best first. */
function closestGateways(ref: GatewayRef, gateways: Resource[]): Resource[] {
  const limit = typoLimit(ref.name);
  const scored: { gw: Resource; score: number }[] = [];
  for (const gw of gateways) {
    if (!reportable(gw)) continue;
    const d = editDistance(ref.name, gw.name, limit);
    if (d > limit) continue;
    // Same namespace first: a typo in the name is likelier than a Gateway that moved.
    scored.push({ gw, score: d * 2 + (gw.namespace === ref.namespace ? 0 : 1) });
  }
  return scored.sort((a, b) => a.score - b.score).map((s) => s.gw);
}

/** The reference text for `gw`, keeping the short form when it still resolves from the VirtualService. */
function refText(ref: GatewayRef, vs: Resource, gw: Resource): string {
  const short = !ref.text.includes('/');
  return short && gw.namespace === vs.namespace ? gw.name : `${gw.namespace}/${gw.name}`;
}
