import { credentialRule, describeCert, relatedFor } from './analysis';

/**
 * Envoy refuses a key that does not belong to the certificate (KEY_VALUES_MISMATCH) and the listener stalls; Istio
 * does not check this (its own test fixtures contain such a pair). Compared by SubjectPublicKeyInfo.
 */
export const keyCertMismatch = credentialRule({
  id: 'key-cert-mismatch',
  needsMaterial: true,
  defaultSeverity: 'error',
  summary: 'The private key does not belong to the server certificate.',
  evaluate(a) {
    const { leaf, key } = a;
    if (!leaf || !key || key.info.status !== 'ok') return [];
    if (key.info.spki.equals(leaf.cert.spki)) return [];
    return [
      {
        short: 'key does not match the certificate',
        message: `The private key in ${key.ref.label} does not match the server certificate ${describeCert(leaf.cert)} in ${leaf.ref.label}.`,
        related: [...relatedFor(key.ref, 'private key', key.block), ...relatedFor(leaf.ref, `server certificate ${describeCert(leaf.cert)}`, leaf.block)],
      },
    ];
  },
});
