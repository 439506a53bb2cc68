import { credentialRule, describeCert, relatedFor, type Issue } from './analysis';
import { servedKeyRefusal, verifierKeyRefusal } from '../../certs/key-support';

/**
 * Keys Envoy refuses: the served certificate's key must be RSA ≥ 2048, ECDSA on P-256/P-384/P-521 or Ed25519, and the
 * keys of the chain, the client CA bundle and the clients must be ones BoringSSL can verify with. Istio passes such
 * a Secret on; Envoy rejects the listener's certificate ("Failed to load certificate chain") or every client.
 * The lists and their sources are in certs/key-support.ts and docs/rules/cert-key-unsupported.md.
 */
export const certKeyUnsupported = credentialRule({
  id: 'cert-key-unsupported',
  needsMaterial: true,
  defaultSeverity: 'error',
  summary: 'A certificate of the credential has a key type, curve or size that Envoy refuses.',
  evaluate({ use, served, ca, clients }) {
    const out: Issue[] = [];
    const mutual = use.mode === 'MUTUAL' || use.mode === 'OPTIONAL_MUTUAL';
    const checked = [
      ...served.map((e, i) => ({ e, role: i === 0 ? 'server certificate' : 'chain certificate', why: i === 0 ? servedKeyRefusal(e.cert.key) : verifierKeyRefusal(e.cert.key) })),
      ...(mutual ? ca.map((e) => ({ e, role: 'client CA certificate', why: verifierKeyRefusal(e.cert.key) })) : []),
      ...(mutual ? clients.map((e) => ({ e, role: 'client certificate', why: verifierKeyRefusal(e.cert.key) })) : []),
    ];
    for (const { e, role, why } of checked) {
      if (why) out.push({ short: `${role} key refused by Envoy`, message: `The ${role} ${describeCert(e.cert)} in ${e.ref.label} has ${why}.`, related: relatedFor(e.ref, role, e.block) });
    }
    return out;
  },
});
