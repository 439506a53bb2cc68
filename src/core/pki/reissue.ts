import { createPrivateKey, X509Certificate } from 'node:crypto';
import { subtle, x509 } from './x509';
import { sanKind } from './layout';
import { FILE_MODE, KEY_MODE, type PkiFile } from './generate';

/**
 * Re-issues one leaf (a server or client certificate) from the CA that already exists, so that clients which trust
 * that CA keep trusting the new certificate: the remedy for a certificate whose SANs miss a host, that expired or is
 * about to, or whose key file does not match. The CA certificate and key are read, never written; the leaf gets a new
 * key, a new serial and the requested names, with the same subject and extensions the PKI generator gives leaves.
 */
export interface ReissueOptions {
  role: 'server' | 'client';
  /** PEM of the issuing CA certificate (in a PKI tree, the intermediate). */
  issuerCert: string;
  /** PEM of its private key: PKCS#8, SEC1 or PKCS#1, encrypted or not. */
  issuerKey: string;
  issuerKeyPassphrase?: string;
  /** PEM of the certificate being replaced, if any: its subject and key type carry over. */
  previous?: string;
  /** Subject common name when there is no previous certificate. */
  commonName: string;
  /** DNS names, wildcards or IP addresses for the subjectAltName. */
  names: readonly string[];
  days: number;
  now: Date;
  /** Where the three files go, relative to the output folder. */
  paths: { cert: string; key: string; csr?: string };
}

export class ReissueError extends Error {}

type SigningAlgorithm = { name: 'ECDSA'; hash: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: string };

const CURVE: Record<string, { named: string; hash: string }> = {
  prime256v1: { named: 'P-256', hash: 'SHA-256' },
  secp384r1: { named: 'P-384', hash: 'SHA-384' },
  secp521r1: { named: 'P-521', hash: 'SHA-512' },
};

function randomSerial(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[0] = (b[0] & 0x7f) | 0x01;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function reissueLeaf(o: ReissueOptions): Promise<{ files: PkiFile[]; serialNumber: string }> {
  if (o.names.length === 0) throw new ReissueError('A certificate needs at least one name.');
  for (const n of o.names) if (!sanKind(n)) throw new ReissueError(`"${n}" is neither a DNS name, a wildcard nor an IP address.`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 36500) throw new ReissueError(`Validity must be a whole number of days from 1 to 36500 (got ${o.days}).`);
  let caKey;
  try {
    caKey = createPrivateKey({ key: o.issuerKey, format: 'pem', passphrase: o.issuerKeyPassphrase });
  } catch (err) {
    throw new ReissueError(o.issuerKeyPassphrase === undefined && /passphrase|bad decrypt|interrupted/i.test(String(err)) ? 'The CA key is encrypted: a passphrase is needed.' : `The CA key cannot be read: ${(err as Error).message.split('\n')[0]}`);
  }
  const caCert = new X509Certificate(o.issuerCert);
  if (!caCert.ca) throw new ReissueError(`"${caCert.subject.split('\n').pop()}" is not a CA certificate.`);
  if (!caCert.checkPrivateKey(caKey)) throw new ReissueError('The CA key does not belong to the CA certificate.');
  const caType = caKey.asymmetricKeyType;
  const caCurve = caKey.asymmetricKeyDetails?.namedCurve;
  let sign: SigningAlgorithm;
  let importAlg: RsaHashedImportParams | EcKeyImportParams;
  if (caType === 'ec' && caCurve && CURVE[caCurve]) {
    sign = { name: 'ECDSA', hash: CURVE[caCurve].hash };
    importAlg = { name: 'ECDSA', namedCurve: CURVE[caCurve].named };
  } else if (caType === 'rsa') {
    sign = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    importAlg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else {
    throw new ReissueError(`A ${caType ?? 'unknown'} CA key cannot sign here; RSA and ECDSA (P-256, P-384, P-521) can.`);
  }
  const signingKey = await subtle.importKey('pkcs8', caKey.export({ type: 'pkcs8', format: 'der' }), importAlg, false, ['sign']);

  // The new leaf key follows the old one's family (ECDSA stays on its curve, RSA keeps at least 2048 bits).
  const prev = o.previous ? new x509.X509Certificate(o.previous) : undefined;
  const prevNode = o.previous ? new X509Certificate(o.previous) : undefined;
  const prevKey = prevNode?.publicKey;
  const leafCurve = prevKey?.asymmetricKeyType === 'ec' ? CURVE[prevKey.asymmetricKeyDetails?.namedCurve ?? ''] : undefined;
  const ecdsaLeaf = prevKey ? prevKey.asymmetricKeyType === 'ec' : caType === 'ec';
  const leafAlg: EcKeyGenParams | RsaHashedKeyGenParams = ecdsaLeaf
    ? { name: 'ECDSA', namedCurve: leafCurve?.named ?? 'P-256' }
    : { name: 'RSASSA-PKCS1-v1_5', modulusLength: Math.max(2048, prevKey?.asymmetricKeyDetails?.modulusLength ?? 2048), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const pair = (await subtle.generateKey(leafAlg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = await x509.PublicKey.create(pair.publicKey);
  const issuer = new x509.X509Certificate(o.issuerCert);
  const issuerSki = issuer.getExtension(x509.SubjectKeyIdentifierExtension);
  const subject = prev ? prev.subject : `CN=${o.commonName}`;
  const altNames = new x509.SubjectAlternativeNameExtension(o.names.map((n): x509.JsonGeneralName => ({ type: sanKind(n) === 'ip' ? 'ip' : 'dns', value: n })));
  const usage = x509.KeyUsageFlags.digitalSignature | (ecdsaLeaf ? 0 : x509.KeyUsageFlags.keyEncipherment);
  const serialNumber = randomSerial();
  const notAfter = new Date(Math.min(o.now.getTime() + o.days * 86_400_000, new Date(caCert.validTo).getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: issuer.subject,
    notBefore: o.now,
    notAfter,
    publicKey: pub,
    signingKey,
    signingAlgorithm: sign,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([o.role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
      altNames,
      await x509.SubjectKeyIdentifierExtension.create(pub),
      ...(issuerSki ? [new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId)] : []),
    ],
  });
  const leafSign = ecdsaLeaf ? { name: 'ECDSA', hash: leafCurve?.hash ?? 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys: pair, signingAlgorithm: leafSign, extensions: [altNames] });
  const keyPem = x509.PemConverter.encode(await subtle.exportKey('pkcs8', pair.privateKey), 'PRIVATE KEY') + '\n';
  const files: PkiFile[] = [
    { path: o.paths.cert, contents: cert.toString('pem') + '\n', mode: FILE_MODE },
    { path: o.paths.key, contents: keyPem, mode: KEY_MODE },
  ];
  if (o.paths.csr) files.push({ path: o.paths.csr, contents: csr.toString('pem') + '\n', mode: FILE_MODE });
  return { files, serialNumber };
}
