import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CERT_LABELS, KEY_LABELS, decodeMaterial, isEncryptedKeyBlock, type DecodedMaterial, type PemBlock } from './pem';

/**
 * The hot path: certificate and key facts from node:crypto (OpenSSL), which parses a certificate in well under a
 * millisecond. Rules run synchronously over every credential on each lint, so everything here is cached by the
 * SHA-256 of the DER. The rich view (extensions, signature algorithm) lives in inspect.ts and loads lazily.
 */
export interface CertInfo {
  kind: 'certificate';
  /** Hex SHA-256 of the DER, lower case: the cache key and the fingerprint. */
  sha256: string;
  x509: X509Certificate;
  subject: string;
  issuer: string;
  commonName: string | undefined;
  issuerCommonName: string | undefined;
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
  emails: string[];
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  selfIssued: boolean;
  /** Extended key usage OIDs; undefined when the extension is absent (which means "any"). */
  extKeyUsage: string[] | undefined;
  key: PublicKeyInfo;
  /** DER of the SubjectPublicKeyInfo, for key↔cert comparisons. */
  spki: Buffer;
}

export interface PublicKeyInfo {
  /** `rsa`, `ec`, `ed25519`, … as node:crypto names them. */
  type: string;
  bits: number | undefined;
  curve: string | undefined;
}

export type KeyInfo =
  | { kind: 'key'; status: 'ok'; key: PublicKeyInfo; spki: Buffer; label: string }
  | { kind: 'key'; status: 'encrypted'; label: string }
  | { kind: 'key'; status: 'unparseable'; label: string; reason: string };

export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const OID_ANY_EKU = '2.5.29.37.0';

const MAX_CACHE = 20000;
const certCache = new Map<string, CertInfo | Error>();
const keyCache = new Map<string, KeyInfo>();

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function remember<T>(cache: Map<string, T>, k: string, v: T): T {
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(k, v);
  return v;
}

/** Parses one DER certificate; an Error when OpenSSL rejects it. */
export function parseCertificate(der: Uint8Array): CertInfo | Error {
  const h = sha256Hex(der);
  const hit = certCache.get(h);
  if (hit) return hit;
  let info: CertInfo | Error;
  try {
    const x509 = new X509Certificate(der);
    const key = x509.publicKey;
    const sans = parseSanString(x509.subjectAltName);
    // Read before checkIssued on purpose: node's keyUsage getter leaves OpenSSL's per-thread error queue dirty when the
    // extendedKeyUsage extension is malformed, and the next node:crypto call that consults the queue (createPrivateKey)
    // then reports that stale error as its own. checkIssued runs under OpenSSL's clear-on-return guard and drains it.
    const extKeyUsage = x509.keyUsage;
    const selfIssued = x509.checkIssued(x509);
    let spki: Buffer | undefined;
    info = {
      kind: 'certificate',
      sha256: h,
      x509,
      subject: x509.subject,
      issuer: x509.issuer,
      commonName: cnOf(x509.subject),
      issuerCommonName: cnOf(x509.issuer),
      ...sans,
      notBefore: new Date(x509.validFrom),
      notAfter: new Date(x509.validTo),
      isCA: x509.ca,
      selfIssued,
      extKeyUsage,
      key: publicKeyInfo(key),
      // Only a leaf's key is ever compared; exporting every key of a 6,000-certificate bundle cost a second.
      get spki() {
        return (spki ??= key.export({ type: 'spki', format: 'der' }));
      },
    };
  } catch (err) {
    info = err instanceof Error ? err : new Error(String(err));
  }
  return remember(certCache, h, info);
}

export function publicKeyInfo(key: KeyObject): PublicKeyInfo {
  const d = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  let bits = d.modulusLength;
  if (bits === undefined && type === 'ec') bits = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 }[d.namedCurve ?? ''] as number | undefined;
  if (bits === undefined && type === 'ed25519') bits = 256;
  if (bits === undefined && type === 'ed448') bits = 456;
  return { type, bits, curve: d.namedCurve };
}

/** Parses a private key block. The key itself never leaves this function: only its public half and facts. */
export function parseKeyBlock(block: PemBlock): KeyInfo {
  const h = sha256Hex(block.der) + block.label + (block.headers['Proc-Type'] ?? '');
  const hit = keyCache.get(h);
  if (hit) return hit;
  let info: KeyInfo;
  if (isEncryptedKeyBlock(block)) info = { kind: 'key', status: 'encrypted', label: block.label };
  else {
    try {
      const der = Buffer.from(block.der.buffer, block.der.byteOffset, block.der.byteLength);
      const type = block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : block.label === 'EC PRIVATE KEY' ? 'sec1' : 'pkcs8';
      let priv: KeyObject;
      try {
        priv = createPrivateKey({ key: der, format: 'der', type });
      } catch {
        // A failure can be another call's stale OpenSSL error (see parseCertificate); the failed call has drained the
        // queue, so a second attempt answers for this key alone.
        priv = createPrivateKey({ key: der, format: 'der', type });
      }
      const pub = createPublicKey(priv);
      info = { kind: 'key', status: 'ok', key: publicKeyInfo(pub), spki: pub.export({ type: 'spki', format: 'der' }), label: block.label };
    } catch (err) {
      info = { kind: 'key', status: 'unparseable', label: block.label, reason: shortError(err) };
    }
  }
  return remember(keyCache, h, info);
}

export function shortError(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0].replace(/^error:[0-9A-F]+:/, '');
}

/** Splits node's `DNS:a, IP Address:1.2.3.4, URI:…` rendering; values with commas are quoted by node. */
export function parseSanString(s: string | undefined): { dnsNames: string[]; ipAddresses: string[]; uris: string[]; emails: string[] } {
  const out = { dnsNames: [] as string[], ipAddresses: [] as string[], uris: [] as string[], emails: [] as string[] };
  if (!s) return out;
  const re = /(DNS|IP Address|URI|email|othername|DirName|Registered ID):("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/g;
  for (let m = re.exec(s); m && m[0]; m = re.exec(s)) {
    let v = m[2];
    if (v.startsWith('"')) v = JSON.parse(v) as string;
    if (m[1] === 'DNS') out.dnsNames.push(v);
    else if (m[1] === 'IP Address') out.ipAddresses.push(v);
    else if (m[1] === 'URI') out.uris.push(v);
    else if (m[1] === 'email') out.emails.push(v);
  }
  return out;
}

function cnOf(dn: string): string | undefined {
  // node renders the DN one attribute per line: "C=US\nCN=example.com".
  let cn: string | undefined;
  for (const line of dn.split('\n')) if (line.startsWith('CN=')) cn = line.slice(3);
  return cn;
}

/** Does `issuer` certify `child`? OpenSSL's check compares names and AKI/SKI; the signature makes it certain. */
export function issues(issuer: CertInfo, child: CertInfo): boolean {
  const k = `${issuer.sha256}>${child.sha256}`;
  const hit = issuedCache.get(k);
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    ok = child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.x509.publicKey);
  } catch {
    ok = false;
  }
  return remember(issuedCache, k, ok);
}

const issuedCache = new Map<string, boolean>();

export function allowsServerAuth(c: CertInfo): boolean {
  return c.extKeyUsage === undefined || c.extKeyUsage.includes(OID_SERVER_AUTH) || c.extKeyUsage.includes(OID_ANY_EKU);
}

export function allowsClientAuth(c: CertInfo): boolean {
  return c.extKeyUsage === undefined || c.extKeyUsage.includes(OID_CLIENT_AUTH) || c.extKeyUsage.includes(OID_ANY_EKU);
}

export interface MaterialItem {
  block: PemBlock;
  /** Position of the block among the file's blocks. */
  index: number;
  parsed: CertInfo | KeyInfo | Error | undefined;
}

export interface ParsedMaterial extends DecodedMaterial {
  items: MaterialItem[];
  certs: { block: PemBlock; index: number; cert: CertInfo }[];
  keys: { block: PemBlock; index: number; key: KeyInfo }[];
  /** Certificate blocks OpenSSL could not parse. */
  badCerts: { block: PemBlock; index: number; error: Error }[];
}

const materialCache = new Map<string, ParsedMaterial>();
/**
 * The same bytes are asked for again by every finding that points into them (relatedFor): hashing a 4 MB bundle
 * each time made thousands of findings on one bundle cost minutes. Files' bytes are not mutated once loaded.
 */
const materialByBytes = new WeakMap<Uint8Array, ParsedMaterial>();

/** Decodes a file or Secret value and parses every certificate and key in it. Cached by content hash. */
export function parseMaterial(input: Uint8Array | string): ParsedMaterial {
  if (typeof input !== 'string') {
    const same = materialByBytes.get(input);
    if (same) return same;
  }
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const h = sha256Hex(bytes);
  const hit = materialCache.get(h);
  if (hit) {
    if (typeof input !== 'string') materialByBytes.set(input, hit);
    return hit;
  }
  const decoded = decodeMaterial(input);
  const out: ParsedMaterial = { ...decoded, items: [], certs: [], keys: [], badCerts: [] };
  decoded.blocks.forEach((block, index) => {
    if (decoded.der) {
      // DER carries no label: a certificate is far more common than a bare DER key.
      const c = parseCertificate(block.der);
      if (!(c instanceof Error)) {
        block.label = 'CERTIFICATE';
        out.items.push({ block, index, parsed: c });
        out.certs.push({ block, index, cert: c });
        return;
      }
      const k = parseKeyBlock({ ...block, label: 'PRIVATE KEY' });
      block.label = k.status === 'ok' ? 'PRIVATE KEY' : 'DER';
      out.items.push({ block, index, parsed: k.status === 'ok' ? k : c });
      if (k.status === 'ok') out.keys.push({ block, index, key: k });
      return;
    }
    if ((CERT_LABELS as readonly string[]).includes(block.label)) {
      const c = parseCertificate(block.der);
      out.items.push({ block, index, parsed: c });
      if (c instanceof Error) out.badCerts.push({ block, index, error: c });
      else out.certs.push({ block, index, cert: c });
    } else if ((KEY_LABELS as readonly string[]).includes(block.label)) {
      const k = parseKeyBlock(block);
      out.items.push({ block, index, parsed: k });
      out.keys.push({ block, index, key: k });
    } else {
      out.items.push({ block, index, parsed: undefined });
    }
  });
  if (typeof input !== 'string') materialByBytes.set(input, out);
  return remember(materialCache, h, out);
}
