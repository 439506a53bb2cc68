import { credentialRule } from './analysis';

/**
 * The one name current Istio treats specially: `<name>-cacert` is where it looks for the client CA of credential
 * `<name>` (SdsCaSuffix in pilot/pkg/model/credentials), so using such a name as a server credential invites a
 * mix-up. The `istio` prefix that the old gateway secret fetcher skipped (istio/istio#18061) is no longer special
 * since Istio 1.9 moved gateway secrets into istiod (istio/istio#28672), so it is not reported.
 */
export const credentialReservedName = credentialRule({
  id: 'credential-reserved-name',
  defaultSeverity: 'warning',
  summary: 'A credentialName that Istio treats specially (a "-cacert" suffix).',
  evaluate({ use }) {
    if (use.name.endsWith('-cacert')) return [{ message: `Credential name "${use.name}" ends with "-cacert", the suffix Istio uses for the client CA of "${use.name.slice(0, -7)}".` }];
    return [];
  },
});
