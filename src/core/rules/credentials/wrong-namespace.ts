import { credentialRule, type Issue } from './analysis';

/**
 * Istio reads a gateway's credential from the namespace of the gateway's pods (istio/istio#27740), not from the
 * Gateway resource's namespace; a `kubernetes://ns/name` reference to another namespace is refused by SDS.
 */
export const credentialWrongNamespace = credentialRule({
  id: 'credential-wrong-namespace',
  istioCode: 'IST0101',
  defaultSeverity: 'error',
  summary: 'The credential exists only in a namespace the gateway pods cannot read it from.',
  evaluate({ use }) {
    const r = use.resolution;
    const out: Issue[] = [];
    if (use.listener) {
      // A Gateway API ref names its namespace itself; whether that is permitted is gateway-api-ref-not-permitted's call.
      if (r.status === 'wrong-namespace' && r.source) {
        const nss = [...new Set(r.elsewhere.map((s) => s.namespace))].map((n) => `"${n}"`).join(', ');
        out.push({
          message: `Secret "${use.name}" exists only in namespace ${nss}, but this certificateRef reads it from "${use.workloadNamespace}" (Istio: ResolvedRefs=False InvalidCertificateRef, secret not found).`,
          related: r.elsewhere.map((s) => ({ ...s.origin, message: `"${use.name}" is created in namespace "${s.namespace}" here` })),
        });
      }
    } else if (use.explicitNamespace && use.explicitNamespace !== use.workloadNamespace) {
      out.push({ message: `Credential "${use.raw}" names namespace "${use.explicitNamespace}", but the gateway pods run in "${use.workloadNamespace}" and Istio refuses cross-namespace secrets.` });
    } else if (r.status === 'wrong-namespace' && r.source) {
      const nss = [...new Set(r.elsewhere.map((s) => s.namespace))].map((n) => `"${n}"`).join(', ');
      out.push({
        message: `Secret "${use.name}" exists only in namespace ${nss}, but the gateway pods read it from "${use.workloadNamespace}".`,
        related: r.elsewhere.map((s) => ({ ...s.origin, message: `"${use.name}" is created in namespace "${s.namespace}" here` })),
      });
    }
    return out;
  },
});
