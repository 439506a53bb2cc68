import { credentialRule, type Issue } from './analysis';
import { credentialIndex } from '../../index/credentials';
import { useRefNotPermitted } from '../gateway-api/certificate-ref-verdicts';

/**
 * A credentialName that nothing in the workspace creates. Istio accepts it (the webhook cannot see Secrets) and the
 * listener then waits for a secret that never comes. Silent in workspaces that hold no credential material at all:
 * there the Secrets are managed elsewhere and every name would be "missing".
 */
export const credentialUnresolved = credentialRule({
  id: 'credential-unresolved',
  istioCode: 'IST0101',
  defaultSeverity: 'warning',
  summary: 'A credentialName that no Secret manifest, kubectl line, folder, PKI tree or .meshtls.yaml entry provides.',
  evaluate(a, ctx) {
    const { use } = a;
    const r = use.resolution;
    const out: Issue[] = [];
    if (r.status === 'unresolved') {
      if (!credentialIndex(ctx.index, ctx.config).hasMaterial) return [];
      // An ungranted ref to another namespace is gateway-api-ref-not-permitted's finding: the grant is missing for
      // certain, the Secret only as far as this workspace can tell.
      if (use.listener && useRefNotPermitted(ctx, use)) return [];
      const places = r.looked.length > 1 ? `${r.looked.slice(0, -1).join(', ')} and ${r.looked[r.looked.length - 1]}` : r.looked.join('');
      if (use.listener) out.push({ short: 'not found locally', message: `certificateRef Secret "${use.name}" was not found in namespace "${use.workloadNamespace}" (Istio: ResolvedRefs=False InvalidCertificateRef, "secret ${use.workloadNamespace}/${use.name} not found"); meshtls looked at ${places}.` });
      else out.push({ short: 'not found locally', message: `Credential "${use.name}" was not found; meshtls looked at ${places}.` });
      return out;
    }
    if (r.status !== 'resolved') return out;
    for (const ref of [r.cert, r.key, r.ca]) {
      if (ref?.missing && !ref.inline) {
        out.push({ short: `"${ref.key}" file not found locally`, message: `Credential "${use.name}" takes "${ref.key}" from "${ref.label}", which ${ref.missing}.`, related: [{ ...ref.mention, message: `"${ref.key}" is named here` }] });
      }
    }
    return out;
  },
});
