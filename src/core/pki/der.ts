// Builds the generator's certificates and CSRs from the X.509 ASN.1 schema classes (@peculiar/asn1-x509, the
// schema layer under @peculiar/x509) and signs them with node:crypto. The high-level @peculiar/x509 builder re-parses
// every extension, name and key it is given and resolves its algorithms through a dependency-injection container: in
// a `meshtls pki` process that was most of the run (its code to compile, then serialise → parse → serialise round
// trips), for a tree of seven small DER objects. Parsing certificates stays with @peculiar/x509 (src/core/certs).
import { createHash, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';

export type KeySpec = { type: 'ec' } | { type: 'rsa'; bits: number };

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The DER SubjectPublicKeyInfo, parsed once and shared by the certificate, the CSR and the key identifier. */
  spki: SubjectPublicKeyInfo;
  /** RFC 5280 §4.2.1.2 method 1 (what openssl's `subjectKeyIdentifier = hash` writes): SHA-1 of the key bits. */
  keyId: ArrayBuffer;
}

/** Node runs key generation on its thread pool, so several calls at once use every core. */
export function generateKeys(spec: KeySpec): Promise<KeyPair> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) => (err ? reject(err) : resolve(keyPairOf(privateKey, publicKey)));
    if (spec.type === 'ec') generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
    else generateKeyPair('rsa', { modulusLength: spec.bits, publicExponent: 0x10001 }, done);
  });
}

export function keyPairOf(privateKey: KeyObject, publicKey: KeyObject): KeyPair {
  const spki = AsnConvert.parse(publicKey.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);
  const keyId = toArrayBuffer(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
  return { privateKey, publicKey, spki, keyId };
}

const SIGNATURE_OIDS = { ec: '1.2.840.10045.4.3.2', rsa: '1.2.840.113549.1.1.11' } as const; // ecdsa-with-SHA256, sha256WithRSAEncryption

/** RFC 5758 §3.2: ECDSA algorithm identifiers omit the parameters; RFC 4055 §5: RSA ones carry NULL. */
function signatureAlgorithm(key: KeyObject): AlgorithmIdentifier {
  const type = key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  return new AlgorithmIdentifier({ algorithm: SIGNATURE_OIDS[type], parameters: type === 'rsa' ? null : undefined });
}

function signDer(data: ArrayBuffer, key: KeyObject): ArrayBuffer {
  // X.509 carries ECDSA signatures as a DER ECDSA-Sig-Value, which is node's default encoding.
  return toArrayBuffer(sign('sha256', new Uint8Array(data), key));
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

const OID = { O: '2.5.4.10', CN: '2.5.4.3' } as const;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** One attribute per RDN, in order; PrintableString when the value allows it, as openssl and @peculiar/x509 do. */
export function distinguishedName(parts: readonly { type: keyof typeof OID; value: string }[]): Name {
  return new Name(
    parts.map(
      ({ type, value }) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({ type: OID[type], value: new AttributeValue(PRINTABLE.test(value) ? { printableString: value } : { utf8String: value }) }),
        ]),
    ),
  );
}

export type ExtensionSpec =
  | { kind: 'basic-constraints'; ca: boolean; pathLength?: number }
  | { kind: 'key-usage'; flags: number }
  | { kind: 'extended-key-usage'; usages: ('serverAuth' | 'clientAuth')[] }
  | { kind: 'subject-alt-name'; names: { type: 'dns' | 'ip'; value: string }[] }
  | { kind: 'subject-key-id'; keyId: ArrayBuffer }
  | { kind: 'authority-key-id'; keyId: ArrayBuffer };

function extension(spec: ExtensionSpec): Extension {
  const make = (extnID: string, critical: boolean, value: unknown) => new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
  switch (spec.kind) {
    case 'basic-constraints':
      // Critical on CAs only (RFC 5280 §4.2.1.9 requires it there; the walkthrough's leaves leave it non-critical).
      return make(id_ce_basicConstraints, spec.ca, new BasicConstraints({ cA: spec.ca, pathLenConstraint: spec.pathLength }));
    case 'key-usage':
      return make(id_ce_keyUsage, true, new KeyUsage(spec.flags));
    case 'extended-key-usage':
      return make(id_ce_extKeyUsage, false, new ExtendedKeyUsage(spec.usages.map((u) => (u === 'serverAuth' ? id_kp_serverAuth : id_kp_clientAuth))));
    case 'subject-alt-name':
      return make(id_ce_subjectAltName, false, new SubjectAlternativeName(spec.names.map((n) => new GeneralName(n.type === 'ip' ? { iPAddress: n.value } : { dNSName: n.value }))));
    case 'subject-key-id':
      return make(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(spec.keyId));
    case 'authority-key-id':
      return make(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(spec.keyId) }));
  }
}

/** Key usage bits in KeyUsage's flag numbering (bit 0 = digitalSignature). */
export const KEY_USAGE = { digitalSignature: 1, keyEncipherment: 4, keyCertSign: 32, cRLSign: 64 } as const;

export interface CertificateInput {
  serial: Uint8Array;
  subject: Name;
  issuer: Name;
  notBefore: Date;
  notAfter: Date;
  publicKey: SubjectPublicKeyInfo;
  signingKey: KeyObject;
  extensions: ExtensionSpec[];
}

/** A signed X.509 v3 certificate, DER. */
export function createCertificate(input: CertificateInput): ArrayBuffer {
  const algorithm = signatureAlgorithm(input.signingKey);
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: toArrayBuffer(input.serial),
    signature: algorithm,
    issuer: input.issuer,
    validity: new Validity({ notBefore: input.notBefore, notAfter: input.notAfter }),
    subject: input.subject,
    subjectPublicKeyInfo: input.publicKey,
    extensions: new Extensions(input.extensions.map(extension)),
  });
  const signature = signDer(AsnConvert.serialize(tbsCertificate), input.signingKey);
  return AsnConvert.serialize(new Certificate({ tbsCertificate, signatureAlgorithm: algorithm, signatureValue: signature }));
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'; // PKCS #9 extensionRequest

/** A PKCS #10 certificate request signed by its own key, DER; extensions go into an extensionRequest attribute. */
export function createCsr(input: { subject: Name; keys: KeyPair; extensions?: ExtensionSpec[] }): ArrayBuffer {
  const attributes = new Attributes(
    input.extensions?.length ? [new Attribute({ type: EXTENSION_REQUEST, values: [AsnConvert.serialize(new Extensions(input.extensions.map(extension)))] })] : [],
  );
  const info = new CertificationRequestInfo({ version: 0, subject: input.subject, subjectPKInfo: input.keys.spki, attributes });
  const signature = signDer(AsnConvert.serialize(info), input.keys.privateKey);
  return AsnConvert.serialize(new CertificationRequest({ certificationRequestInfo: info, signatureAlgorithm: signatureAlgorithm(input.keys.privateKey), signature }));
}

/** RFC 7468 text encoding: base64 in 64-character lines between the label's boundaries, ending in a newline. */
export function pem(der: ArrayBuffer, label: 'CERTIFICATE' | 'CERTIFICATE REQUEST'): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
