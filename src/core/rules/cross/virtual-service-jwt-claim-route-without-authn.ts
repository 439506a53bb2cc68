import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn } from '../../istio/resource';
import type { Placed } from '../../index/placement';
import type { Finding } from '../../types';
import { crossModel, gatewayRefs, onePerSpan, related, reportable } from './model';
import { selects, serviceRegistry, stringMap, type Workload, REGISTRY_READS } from './service-registry';

/**
 * A route on `@request.auth.claims.*` only matches when the gateway proxy validated a JWT, which it does only when a
 * RequestAuthentication applies to its pods (one in the root namespace or the pod's namespace, without selector or
 * selecting the pod). Without one, the claim is never present and the route never matches. Istio's
 * JWTClaimRouteAnalyzer reports IST0149. meshtls judges it only when the workspace declares the gateway's pods.
 */
export const virtualServiceJwtClaimRouteWithoutAuthn: WorkspaceRule = {
  id: 'virtual-service-jwt-claim-route-without-authn',
  istioCode: 'IST0149',
  defaultSeverity: 'error',
  kinds: ['VirtualService', 'Gateway', 'RequestAuthentication', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet'],
  reads: ['VirtualService', 'Gateway', 'RequestAuthentication', ...REGISTRY_READS],
  summary: 'A route on JWT claims needs a RequestAuthentication on the pods of the gateway it is bound to.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const reg = serviceRegistry(ctx);
    if (reg.workloads.length === 0) return [];
    const authns = model.placement.instances.filter((p) => p.kind === 'RequestAuthentication');
    const root = ctx.config.rootNamespace;
    const covered = (pod: Workload) =>
      authns.some((ra) => {
        if (ra.namespace !== root && ra.namespace !== pod.namespace) return false;
        // A policy attached by targetRef(s) names its workload another way; it is taken as covering the pods.
        if (ra.spec.targetRef !== undefined || ra.spec.targetRefs !== undefined) return true;
        const sel = isObject(ra.spec.selector) ? stringMap(ra.spec.selector.matchLabels) : {};
        return selects(sel, pod.labels);
      });
    const out: Finding[] = [];
    for (const vs of model.virtualServices) {
      if (!reportable(vs)) continue;
      const claim = claimRoute(vs);
      if (!claim) continue;
      for (const ref of gatewayRefs(vs, model)) {
        const gw = ref.gateway;
        if (!gw) continue;
        const selector = stringMap(gw.spec.selector);
        const pods = reg.workloads.filter((w) => selects(selector, w.labels));
        const bare = pods.find((w) => !covered(w));
        if (!bare) continue;
        out.push(
          finding(this, spanIn(vs, claim.path, 'key'), `Header "${claim.name}" routes on a JWT claim, but no RequestAuthentication applies to ${bare.source.kind} ${bare.namespace}/${bare.source.name} of Gateway ${gw.namespace}/${gw.name}.`, {
            related: [related(gw, ['spec', 'selector'], `Selector of Gateway ${gw.namespace}/${gw.name}`)],
          }),
        );
        break;
      }
    }
    return onePerSpan(out);
  },
};

/** The first `@request.auth.claims.*` header match of the VirtualService, with its path. */
function claimRoute(vs: Placed): { name: string; path: (string | number)[] } | undefined {
  const http = vs.spec.http;
  if (!Array.isArray(http)) return undefined;
  for (let i = 0; i < http.length; i++) {
    const r = http[i];
    if (!isObject(r) || !Array.isArray(r.match)) continue;
    for (let j = 0; j < r.match.length; j++) {
      const m = r.match[j];
      if (!isObject(m)) continue;
      for (const field of ['headers', 'withoutHeaders'] as const) {
        const h = m[field];
        if (!isObject(h)) continue;
        const name = Object.keys(h).find((k) => k.startsWith('@request.auth.claims'));
        if (name) return { name, path: ['spec', 'http', i, 'match', j, field, name] };
      }
    }
  }
  return undefined;
}
