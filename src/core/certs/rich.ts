import type * as X509 from '@peculiar/x509';
import type { CertInfo } from './x509';

/**
 * The rich view of a certificate (signature algorithm, key identifiers, extensions) from @peculiar/x509. It costs
 * several times node:crypto per certificate and its module takes ~100 ms to load, so it is required lazily and only
 * for the few certificates a hover, `meshtls inspect` or the SHA-1 check asks about; results are cached by hash.
 */
let lib: typeof X509 | undefined;

/** The @peculiar/x509 module, loaded on first use (with the metadata shim it needs). */
export function x509(): typeof X509 {
  if (!lib) {
    installReflectMetadata();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require('@peculiar/x509') as typeof X509;
  }
  return lib;
}

/**
 * @peculiar/x509 resolves its ASN.1 providers through tsyringe, which insists on a `Reflect.getMetadata` polyfill at
 * load time. No such polyfill is installed, and x509 uses only plain metadata storage, so a minimal one suffices.
 */
function installReflectMetadata(): void {
  const R = Reflect as unknown as Record<string, unknown>;
  if (typeof R.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<string, Map<unknown, unknown>>>();
  const slot = (target: object, prop: unknown) => {
    let byProp = store.get(target);
    if (!byProp) store.set(target, (byProp = new Map()));
    const k = prop === undefined ? '' : String(prop);
    let m = byProp.get(k);
    if (!m) byProp.set(k, (m = new Map()));
    return m;
  };
  R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: unknown) => void slot(target, prop).set(key, value);
  R.getOwnMetadata = (key: unknown, target: object, prop?: unknown) => slot(target, prop).get(key);
  R.getMetadata = (key: unknown, target: object, prop?: unknown) => {
    for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
      const v = slot(o, prop).get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  R.hasMetadata = (key: unknown, target: object, prop?: unknown) => (R.getMetadata as (k: unknown, t: object, p?: unknown) => unknown)(key, target, prop) !== undefined;
  R.hasOwnMetadata = (key: unknown, target: object, prop?: unknown) => slot(target, prop).has(key);
  R.metadata = (key: unknown, value: unknown) => (target: object, prop?: unknown) => void slot(target, prop).set(key, value);
}

export interface RichCertView {
  /** e.g. `ECDSA with SHA-256`, `RSA PKCS#1 v1.5 with SHA-1`. */
  signatureAlgorithm: string;
  signatureHash: string | undefined;
  serialNumber: string;
  subjectKeyId: string | undefined;
  authorityKeyId: string | undefined;
  keyUsage: string[];
  extKeyUsage: string[];
  /** OIDs of every extension, for the inspect output. */
  extensions: string[];
}

const cache = new Map<string, RichCertView>();

const KU_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

export function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}

// DER of the SHA-1 signature algorithm OIDs (sha1WithRSAEncryption, ecdsa-with-SHA1, dsa-with-sha1).
const SHA1_OIDS = [
  [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
  [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
  [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
].map((a) => Buffer.from(a));

/**
 * Is the certificate signed with SHA-1? A byte search for the algorithm OIDs rules out nearly every certificate
 * without loading @peculiar/x509 (the lint hot path); a hit is confirmed by the real parse.
 */
export function signedWithSha1(c: CertInfo): boolean {
  const raw = c.x509.raw;
  if (!SHA1_OIDS.some((oid) => raw.includes(oid))) return false;
  return richView(c).signatureHash === 'SHA-1';
}

export function richView(c: CertInfo): RichCertView {
  const hit = cache.get(c.sha256);
  if (hit) return hit;
  const x = x509();
  const cert = new x.X509Certificate(c.x509.raw);
  const alg = cert.signatureAlgorithm as { name: string; hash?: { name: string } };
  const hash = alg.hash?.name;
  const algName = alg.name === 'RSASSA-PKCS1-v1_5' ? 'RSA PKCS#1 v1.5' : alg.name;
  const ski = cert.getExtension(x.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x.AuthorityKeyIdentifierExtension);
  const ku = cert.getExtension(x.KeyUsagesExtension);
  const eku = cert.getExtension(x.ExtendedKeyUsageExtension);
  const view: RichCertView = {
    signatureAlgorithm: hash ? `${algName} with ${hash}` : algName,
    signatureHash: hash,
    serialNumber: cert.serialNumber,
    subjectKeyId: ski?.keyId,
    authorityKeyId: aki?.keyId,
    keyUsage: ku ? KU_NAMES.filter((_, i) => (ku.usages & (1 << i)) !== 0) : [],
    extKeyUsage: eku ? eku.usages.map((u) => ekuName(String(u))) : [],
    extensions: cert.extensions.map((e) => e.type),
  };
  if (cache.size > 5000) cache.clear();
  cache.set(c.sha256, view);
  return view;
}
