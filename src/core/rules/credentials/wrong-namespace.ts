import { credentialRule, type Issue } from './analysis';
import type { CredentialSource } from '../../index/credentials';
import type { RelatedInfo } from '../../types';
import { quotedNames } from '../cross/model';

/** The related locations shown: the first few sources, as elsewhere (thousands of namespaces made a finding per use list them all). */
const MAX_RELATED = 10;

/**
 * The namespaces and related locations of a list of sources elsewhere, worked out once per list and name: uses of one
 * name and namespace share their list, and 1,500 uses each listing 1,500 sources took 23 s and 1.7 GB.
 */
const described = new WeakMap<readonly CredentialSource[], Map<string, { namespaces: string; related: RelatedInfo[] }>>();
function describeElsewhere(elsewhere: readonly CredentialSource[], name: string): { namespaces: string; related: RelatedInfo[] } {
  let byName = described.get(elsewhere);
  if (!byName) described.set(elsewhere, (byName = new Map()));
  let d = byName.get(name);
  if (!d) {
    const nss = [...new Set(elsewhere.map((s) => s.namespace ?? ''))];
    d = {
      namespaces: quotedNames(nss, nss.length),
      related: elsewhere.slice(0, MAX_RELATED).map((s) => ({ ...s.origin, message: `"${name}" is created in namespace "${s.namespace}" here` })),
    };
    byName.set(name, d);
  }
  return d;
}

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
        const d = describeElsewhere(r.elsewhere, use.name);
        out.push({
          message: `Secret "${use.name}" exists only in namespace ${d.namespaces}, but this certificateRef reads it from "${use.workloadNamespace}" (Istio: ResolvedRefs=False InvalidCertificateRef, secret not found).`,
          related: d.related,
        });
      }
    } else if (use.explicitNamespace && use.explicitNamespace !== use.workloadNamespace) {
      out.push({ message: `Credential "${use.raw}" names namespace "${use.explicitNamespace}", but the gateway pods run in "${use.workloadNamespace}" and Istio refuses cross-namespace secrets.` });
    } else if (r.status === 'wrong-namespace' && r.source) {
      const d = describeElsewhere(r.elsewhere, use.name);
      out.push({
        message: `Secret "${use.name}" exists only in namespace ${d.namespaces}, but the gateway pods read it from "${use.workloadNamespace}".`,
        related: d.related,
      });
    }
    return out;
  },
});
