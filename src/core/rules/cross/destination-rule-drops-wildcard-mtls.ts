import { finding, type WorkspaceRule } from '../types';
import { spanIn, type Resource } from '../../istio/resource';
import type { Finding } from '../../types';
import { crossModel, hostsOverlap, idOf, related, reportable } from './model';
import { sameUnit, hasTlsSettings, hostFqdn, knownNamespaces, topTlsMode, visibleTogether } from './destination-rule-hosts';

/**
 * A client uses the most specific DestinationRule for a host. When a mesh- or namespace-wide rule turns on
 * ISTIO_MUTUAL and a host rule for one of its services sets no `tls`, that host's traffic no longer gets the wildcard's
 * TLS setting: it falls back to auto mTLS at best, and to plaintext when auto mTLS is off (Kiali KIA0204).
 */
export const destinationRuleDropsWildcardMtls: WorkspaceRule = {
  id: 'destination-rule-drops-wildcard-mtls',
  kialiCode: 'KIA0204',
  defaultSeverity: 'warning',
  kinds: ['DestinationRule'],
  reads: ['DestinationRule'],
  summary: 'A DestinationRule without tls hides the ISTIO_MUTUAL of a wildcard DestinationRule covering its host.',
  scope: 'workspace',
  check(ctx) {
    const model = crossModel(ctx);
    const mtls: { dr: Resource; fqdn: string }[] = [];
    for (const dr of model.destinationRules) {
      if (typeof dr.spec.host === 'string' && dr.spec.host.startsWith('*') && topTlsMode(dr) === 'ISTIO_MUTUAL') mtls.push({ dr, fqdn: dr.spec.host });
    }
    if (mtls.length === 0) return [];
    const namespaces = knownNamespaces(ctx.index, ctx.config.rootNamespace);
    const out: Finding[] = [];
    for (const dr of model.destinationRules) {
      if (!reportable(dr) || typeof dr.spec.host !== 'string' || hasTlsSettings(dr)) continue;
      const fqdn = hostFqdn(dr.spec.host, dr.namespace, namespaces);
      const cover = mtls.find((m) => m.dr !== dr && sameUnit(m.dr, dr) && idOf(m.dr) !== idOf(dr) && hostsOverlap(m.fqdn, fqdn) && visibleTogether(m.dr, dr));
      if (!cover) continue;
      out.push(
        finding(this, spanIn(dr, ['spec', 'host']), `DestinationRule for "${dr.spec.host}" sets no tls, so the ISTIO_MUTUAL of DestinationRule "${idOf(cover.dr)}" (host "${cover.fqdn}") no longer applies to it.`, {
          related: [related(cover.dr, ['spec', 'trafficPolicy', 'tls', 'mode'], `ISTIO_MUTUAL for "${cover.fqdn}"`)],
        }),
      );
    }
    return out;
  },
};
