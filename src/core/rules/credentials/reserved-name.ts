import { credentialRule } from './analysis';

/**
 * Names Istio treats specially: secrets whose names start with "istio" were skipped by the gateway's secret
 * fetcher (istio/istio#18061 — maintainers advise against the prefix), and `<name>-cacert` is the name Istio derives
 * for the client CA of credential `<name>`, so using it as a server credential invites a mix-up.
 */
export const credentialReservedName = credentialRule({
  id: 'credential-reserved-name',
  defaultSeverity: 'warning',
  summary: 'A credentialName that Istio treats specially (an "istio" prefix or a "-cacert" suffix).',
  evaluate({ use }) {
    if (use.name.startsWith('istio')) return [{ message: `Credential name "${use.name}" starts with "istio", a prefix Istio reserves for its own secrets.` }];
    if (use.name.endsWith('-cacert')) return [{ message: `Credential name "${use.name}" ends with "-cacert", the suffix Istio uses for the client CA of "${use.name.slice(0, -7)}".` }];
    return [];
  },
});
