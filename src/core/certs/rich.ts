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
  /** basicConstraints pathLenConstraint, when present. */
  pathLength: number | undefined;
  /** OIDs of every extension, for the inspect output. */
  extensions: string[];
  /** What could not be parsed (`extendedKeyUsage extension`, …): shown by name rather than failing the whole view. */
  unparsed: string[];
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
  const unparsed: string[] = [];
  const field = <T>(name: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch {
      unparsed.push(name);
      return fallback;
    }
  };
  // Extensions one by one: @peculiar/x509's own `extensions` getter throws for the whole certificate when one of
  // them does not match its schema (a malformed extendedKeyUsage that OpenSSL loads), and then nothing could be shown.
  const extensions: X509.Extension[] = [];
  // `asn` is protected in the typings but is the documented parse result; the raw extensions are read from it.
  const asn = (cert as unknown as { asn: { tbsCertificate: { extensions?: { extnID: string; critical: boolean; extnValue: { buffer: ArrayBuffer } }[] } } }).asn;
  for (const e of asn.tbsCertificate.extensions ?? []) {
    const generic = new x.Extension(e.extnID, e.critical, e.extnValue.buffer);
    try {
      extensions.push(x.ExtensionFactory.create(generic.rawData));
    } catch {
      extensions.push(generic);
      unparsed.push(extensionName(e.extnID));
    }
  }
  const get = <T>(type: new (...args: never[]) => T): T | undefined => extensions.find((e) => e instanceof type) as T | undefined;
  const alg = field('signature algorithm', () => cert.signatureAlgorithm as { name: string; hash?: { name: string } }, { name: 'unknown' });
  const hash = alg.hash?.name;
  const algName = alg.name === 'RSASSA-PKCS1-v1_5' ? 'RSA PKCS#1 v1.5' : alg.name;
  const ski = get(x.SubjectKeyIdentifierExtension);
  const aki = get(x.AuthorityKeyIdentifierExtension);
  const ku = get(x.KeyUsagesExtension);
  const eku = get(x.ExtendedKeyUsageExtension);
  const bc = get(x.BasicConstraintsExtension);
  const view: RichCertView = {
    signatureAlgorithm: hash ? `${algName} with ${hash}` : algName,
    signatureHash: hash,
    serialNumber: field('serial number', () => cert.serialNumber, ''),
    subjectKeyId: ski?.keyId,
    authorityKeyId: aki?.keyId,
    keyUsage: ku ? KU_NAMES.filter((_, i) => (ku.usages & (1 << i)) !== 0) : [],
    extKeyUsage: eku ? eku.usages.map((u) => ekuName(String(u))) : [],
    pathLength: bc?.pathLength,
    extensions: extensions.map((e) => e.type),
    unparsed,
  };
  if (cache.size > 5000) cache.clear();
  cache.set(c.sha256, view);
  return view;
}

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extendedKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
};

export function extensionName(oid: string): string {
  return EXTENSION_NAMES[oid] ? `${EXTENSION_NAMES[oid]} extension` : `extension ${oid}`;
}

// DER of basicConstraints' OID, and of a value that carries a pathLenConstraint: SEQUENCE { BOOLEAN TRUE, INTEGER }.
const BC_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13]);
const BC_WITH_PATHLEN = Buffer.from([0x01, 0x01, 0xff, 0x02]);

/**
 * The pathLenConstraint of a CA certificate, or undefined. Chain checks run on every lint: a byte search near the
 * basicConstraints OID rules out the usual unconstrained root without loading @peculiar/x509; a hit is confirmed by
 * the real parse.
 */
export function pathLengthOf(c: CertInfo): number | undefined {
  const raw = c.x509.raw;
  const at = raw.indexOf(BC_OID);
  if (at < 0 || raw.subarray(at, at + 24).indexOf(BC_WITH_PATHLEN) < 0) return undefined;
  return richView(c).pathLength;
}
