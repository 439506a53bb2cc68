import { finding, type WorkspaceRule } from '../types';
import { isObject, spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, idOf, matchLabels, related, reportable } from './model';
import { selectPolicies } from './peer-authentication-policy';
import { governingWildcardRule, topTlsMode } from './destination-rule-hosts';

/**
 * The server side of destination-rule-wildcard-mtls-disabled: a mesh-wide or namespace-wide PeerAuthentication with
 * mode DISABLE, while the wildcard DestinationRule that governs those services (namespace-wide before mesh-wide)
 * sends ISTIO_MUTUAL: clients send mutual TLS to sidecars that no longer accept it (Kiali KIA0505 for a namespace,
 * KIA0506 for the mesh).
 */
export const peerAuthenticationDisableVsWildcardMtls: WorkspaceRule = {
  id: 'peer-authentication-disable-vs-wildcard-mtls',
  kialiCode: 'KIA0505, KIA0506',
  defaultSeverity: 'error',
  kinds: ['PeerAuthentication', 'DestinationRule'],
  reads: ['PeerAuthentication', 'DestinationRule'],
  summary: 'A mesh- or namespace-wide PeerAuthentication must not DISABLE mTLS where a wildcard DestinationRule sends ISTIO_MUTUAL.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    if (model.destinationRules.length === 0) return [];
    const root = ctx.config.rootNamespace;
    const out: Finding[] = [];
    for (const pa of model.peerAuthentications) {
      if (!reportable(pa) || matchLabels(pa)) continue;
      const mtls = pa.spec.mtls;
      if (!isObject(mtls) || mtls.mode !== 'DISABLE') continue;
      // Only the policy istiod actually uses for the mesh or the namespace (the oldest selector-less one).
      const chosen = selectPolicies(model, root, pa.namespace, undefined);
      if ((pa.namespace === root ? chosen.mesh : chosen.namespace) !== pa) continue;
      const dr: Resource | undefined = governingWildcardRule(model.destinationRules, pa.namespace === root ? '' : pa.namespace, root, pa.doc.fileId);
      if (!dr || topTlsMode(dr) !== 'ISTIO_MUTUAL') continue;
      const where = pa.namespace === root ? 'mesh-wide' : `in namespace "${pa.namespace}"`;
      out.push(
        finding(this, spanIn(pa, ['spec', 'mtls', 'mode']), `Mode DISABLE turns mTLS off ${where}, but DestinationRule "${idOf(dr)}" sends ISTIO_MUTUAL to "${String(dr.spec.host)}".`, {
          related: [related(dr, ['spec', 'trafficPolicy', 'tls', 'mode'], `ISTIO_MUTUAL for "${String(dr.spec.host)}"`)],
        }),
      );
    }
    return out;
  },
};
