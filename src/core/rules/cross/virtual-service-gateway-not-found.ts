import { pushTo } from '../../collections';
import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Fix, RelatedInfo } from '../../types';
import { isInternalGatewayRef } from '../../istio/references';
import { gatewayApiGateways } from './gateway-api';
import { crossModel, editDistance, gatewayRefs, onePerSpan, related, reportable, yamlScalar, type GatewayRef } from './model';

/**
 * A VirtualService bound to a Gateway that does not exist is silently unused by istiod: its routes never reach any
 * listener, and the gateway answers 404 (istioctl analyze: IST0101 ReferencedResourceNotFound). The workspace is not the
 * cluster: a Gateway that lives in another repository is only a warning, unless a Gateway with a near name (a likely
 * typo, or the same name in another namespace) is here; `.meshtls.yaml` `externalGateways` silences it.
 */
export const virtualServiceGatewayNotFound: WorkspaceRule = {
  id: 'virtual-service-gateway-not-found',
  istioCode: 'IST0101',
  kialiCode: 'KIA1102',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Gateway'],
  reads: ['VirtualService', 'Gateway', 'K8sGateway'],
  summary: 'A VirtualService gateways entry (or http match gateways entry) must name an existing Gateway.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const out = [];
    // Edit distances are computed per distinct (missing name, Gateway name) pair, not per reference and Gateway:
    // when the Gateways live in another repository every reference is missing, and names repeat across namespaces.
    let byName: Map<string, Resource[]> | undefined;
    const nearNames = new Map<string, { name: string; distance: number }[]>();
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      for (const ref of gatewayRefs(vs, model, { matches: true })) {
        // An internal, generated Gateway is never in the files; virtual-service-internal-gateway-ref says so (IST0165).
        if (ref.gateway || isInternalGatewayRef(ref.text)) continue;
        // A reference a kustomize rename left behind is kustomize-name-reference-gap's finding.
        if (ref.renamedAway) continue;
        if (model.externalGateways.has(`${ref.namespace}/${ref.name}`)) continue;
        if (gatewayApiGateways(ctx.index).has(`${ref.namespace}/${ref.name}`)) continue;
        byName ??= groupByName(model.gateways);
        let names = nearNames.get(ref.name);
        if (!names) nearNames.set(ref.name, (names = similarNames(ref.name, byName)));
        const near = closest(ref, names, byName);
        const relatedInfo: RelatedInfo[] = near ? [related(near.best, ['metadata', 'name'], `Closest Gateway: ${near.best.namespace}/${near.best.name}`)] : [];
        const fixes: Fix[] = [];
        if (near?.count === 1) {
          const replacement = refText(ref, vs, near.best);
          fixes.push({ title: `Change to \`${replacement}\``, edits: [{ ...spanIn(vs, ref.path), newText: yamlScalar(replacement) }], preferred: true });
        }
        if (near) out.push(finding(this, spanIn(vs, ref.path), `Gateway "${ref.name}" not found in namespace "${ref.namespace}".`, { related: relatedInfo, fixes }));
        else out.push(finding(this, spanIn(vs, ref.path), `Gateway "${ref.namespace}/${ref.name}" is not in this workspace.`, { severity: 'warning' }));
      }
    }
    return onePerSpan(out);
  },
};

/** How far a name may be from the reference to count as a likely typo: one edit per four characters, 1..3. */
function typoLimit(name: string): number {
  return Math.max(1, Math.min(3, Math.floor(name.length / 4)));
}

function groupByName(gateways: Resource[]): Map<string, Resource[]> {
  const m = new Map<string, Resource[]>();
  for (const gw of gateways) {
    if (!reportable(gw)) continue;
    pushTo(m, gw.name, gw);
  }
  return m;
}

/** Gateway names that are a likely typo of `name` (or the name itself, for a Gateway in another namespace). */
function similarNames(name: string, byName: Map<string, Resource[]>): { name: string; distance: number }[] {
  const limit = typoLimit(name);
  const out: { name: string; distance: number }[] = [];
  for (const candidate of byName.keys()) {
    const distance = editDistance(name, candidate, limit);
    if (distance <= limit) out.push({ name: candidate, distance });
  }
  return out;
}

/** The most plausible Gateway for a missing reference, and how many plausible ones there are. */
function closest(ref: GatewayRef, names: { name: string; distance: number }[], byName: Map<string, Resource[]>): { best: Resource; count: number } | undefined {
  let best: Resource | undefined;
  let bestScore = Infinity;
  let count = 0;
  for (const { name, distance } of names) {
    for (const gw of byName.get(name) ?? []) {
      count++;
      // Same namespace first: a typo in the name is likelier than a Gateway that moved.
      const score = distance * 2 + (gw.namespace === ref.namespace ? 0 : 1);
      if (score < bestScore) {
        best = gw;
        bestScore = score;
      }
    }
  }
  return best ? { best, count } : undefined;
}

/** The reference text for `gw`, keeping the short form when it still resolves from the VirtualService. */
function refText(ref: GatewayRef, vs: Resource, gw: Resource): string {
  const short = !ref.text.includes('/');
  return short && gw.namespace === vs.namespace ? gw.name : `${gw.namespace}/${gw.name}`;
}
