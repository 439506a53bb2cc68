import type { PublicKeyInfo } from './x509';

/**
 * What Envoy and BoringSSL accept, as plain data for the key rules and the views.
 *
 * A served certificate: Envoy's ContextImpl (source/common/tls/context_impl.cc) refuses to load a chain whose leaf
 * has an EC key on any curve but P-256, P-384 or P-521 ("only P-256, P-384 or P-521 ECDSA certificates are
 * supported") or an RSA key under 2048 bits ("only RSA certificates with 2048-bit or larger keys are supported").
 * Other key types never get that far unless BoringSSL can parse them: its EVP_parse_public_key knows RSA, EC, DSA,
 * Ed25519 and X25519, and its EC code only the built-in curves P-224, P-256, P-384 and P-521
 * (crypto/ec_extra/ec_asn1.c), so brainpool, secp256k1 and Ed448 keys do not load at all. DSA and X25519 have no TLS
 * signature algorithm in BoringSSL, so a server cannot use them.
 *
 * A CA or client certificate that Envoy verifies: its key has to be one BoringSSL parses, or the signatures it made
 * cannot be checked and the client is refused.
 */
const NAMED: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp224r1: 'P-224' };

export function curveLabel(curve: string | undefined): string {
  return curve ? (NAMED[curve] ?? curve) : 'unknown curve';
}

/** Why Envoy will not serve a certificate with this key; undefined when it will. */
export function servedKeyRefusal(k: PublicKeyInfo): string | undefined {
  if (k.type === 'rsa' || k.type === 'rsa-pss') return (k.bits ?? 0) < 2048 ? `a ${k.bits}-bit RSA key (Envoy requires at least 2048 bits)` : undefined;
  if (k.type === 'ec') return ['prime256v1', 'secp384r1', 'secp521r1'].includes(k.curve ?? '') ? undefined : `an EC key on ${curveLabel(k.curve)} (Envoy serves only P-256, P-384 and P-521)`;
  if (k.type === 'ed25519') return undefined;
  return `a ${k.type.toUpperCase()} key (Envoy serves RSA, ECDSA and Ed25519 certificates only)`;
}

/** Why BoringSSL cannot check signatures made by this key; undefined when it can. */
export function verifierKeyRefusal(k: PublicKeyInfo): string | undefined {
  if (k.type === 'rsa' || k.type === 'rsa-pss' || k.type === 'ed25519' || k.type === 'dsa') return undefined;
  if (k.type === 'ec') return k.curve && NAMED[k.curve] ? undefined : `an EC key on ${curveLabel(k.curve)}, a curve BoringSSL does not implement`;
  return `a ${k.type.toUpperCase()} key, which BoringSSL cannot parse`;
}
