import { credentialRule, type Issue } from './analysis';
import type { CredentialSource } from '../../index/credentials';

function keysOf(s: CredentialSource): string {
  const keys = [...s.entries.keys()];
  return keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'no keys';
}

/**
 * Istio reads only `cert`+`key` or `tls.crt`+`tls.key` (non-empty), and `cacert` or `ca.crt` for the client CA
 * (istio/istio#18061). A near miss such as `tls.cert` is simply "not found" at run time.
 */
export const credentialSecretKeys = credentialRule({
  id: 'credential-secret-keys',
  istioCode: 'IST0161',
  defaultSeverity: 'error',
  summary: 'The Secret lacks the keys Istio reads (cert/key or tls.crt/tls.key; cacert or ca.crt).',
  evaluate({ use }) {
    const r = use.resolution;
    const out: Issue[] = [];
    const src = r.source;
    // A PKI tree has fixed files, and cert-manager writes the keys itself.
    if (!src || r.status === 'unresolved' || src.kind === 'pki-tree' || src.kind === 'cert-manager') return out;
    const origin = [{ ...src.origin, message: `${src.description}` }];
    if (r.layout === 'none') {
      const empty = ['cert', 'key', 'tls.crt', 'tls.key'].filter((k) => src.entries.get(k)?.bytes?.length === 0);
      if (empty.length) out.push({ message: `Secret "${src.name}" has ${empty.map((k) => `"${k}"`).join(' and ')} but ${empty.length > 1 ? 'they are' : 'it is'} empty.`, related: origin });
      else out.push({ message: `Secret "${src.name}" has neither "cert" and "key" nor "tls.crt" and "tls.key"; it has ${keysOf(src)}.`, related: origin });
    }
    const mutual = use.mode === 'MUTUAL' || use.mode === 'OPTIONAL_MUTUAL';
    const caSrc = r.caSource;
    if (mutual && use.primary && caSrc && caSrc !== src && !r.ca) {
      out.push({ message: `${caSrc.object ?? 'Secret'} "${caSrc.name}" has neither "cacert" nor "ca.crt"; it has ${keysOf(caSrc)}.`, related: [{ ...caSrc.origin, message: caSrc.description }] });
    }
    return out;
  },
});
