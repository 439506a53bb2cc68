import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, idOf, related, reportable } from './model';
import { selectPolicies } from './peer-authentication-policy';
import { sameUnit, topTlsMode, wildcardScope } from './destination-rule-hosts';

function paMode(pa: Resource | undefined): string | undefined {
  const mtls = pa?.spec.mtls;
  const mode = isObject(mtls) ? mtls.mode : undefined;
  return typeof mode === 'string' && mode !== 'UNSET' ? mode : undefined;
}

/**
 * A mesh-wide (`*.local`) or namespace-wide (`*.<ns>.svc.cluster.local`) DestinationRule with tls.mode DISABLE sends
 * plaintext to every service it covers, while a PeerAuthentication STRICT for those workloads refuses plaintext: every
 * such connection fails (Kiali KIA0207 for a namespace-wide STRICT policy, KIA0208 for the mesh-wide one).
 */
export const destinationRuleWildcardMtlsDisabled: WorkspaceRule = {
  id: 'destination-rule-wildcard-mtls-disabled',
  kialiCode: 'KIA0207, KIA0208',
  defaultSeverity: 'error',
  kinds: ['DestinationRule', 'PeerAuthentication'],
  reads: ['DestinationRule', 'PeerAuthentication'],
  summary: 'A mesh- or namespace-wide DestinationRule must not DISABLE TLS where PeerAuthentication is STRICT.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    if (model.peerAuthentications.length === 0) return [];
    const root = ctx.config.rootNamespace;
    const out: Finding[] = [];
    for (const dr of model.destinationRules) {
      if (!reportable(dr) || typeof dr.spec.host !== 'string' || topTlsMode(dr) !== 'DISABLE') continue;
      const scope = wildcardScope(dr.spec.host);
      if (!scope) continue;
      let strict: Resource | undefined;
      let level = '';
      if (scope.scope === 'mesh') {
        const { mesh } = selectPolicies(model, root, root, undefined);
        if (paMode(mesh) === 'STRICT') [strict, level] = [mesh, 'mesh-wide'];
      } else {
        const { mesh, namespace } = selectPolicies(model, root, scope.ns, undefined);
        const nsMode = paMode(namespace);
        if (nsMode === 'STRICT') [strict, level] = [namespace, `namespace-wide in "${scope.ns}"`];
        else if (!nsMode && paMode(mesh) === 'STRICT') [strict, level] = [mesh, 'mesh-wide'];
      }
      if (!strict || !sameUnit(strict, dr)) continue;
      out.push(
        finding(this, spanIn(dr, ['spec', 'trafficPolicy', 'tls', 'mode']), `tls.mode DISABLE sends plaintext to every service of "${dr.spec.host}", but PeerAuthentication "${idOf(strict)}" requires mutual TLS (STRICT) ${level}.`, {
          related: [related(strict, ['spec', 'mtls', 'mode'], `STRICT ${level}`)],
        }),
      );
    }
    return out;
  },
};
