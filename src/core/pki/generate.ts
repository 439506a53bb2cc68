import { createPrivateKey } from 'node:crypto';
import { subtle, x509 } from './x509';
import { isValidHost, sanKind, treePaths, type TreePaths } from './layout';

export const PKI_PROFILES = ['rsa', 'ecdsa'] as const;
export type PkiProfile = (typeof PKI_PROFILES)[number];

/** The walkthrough's validity periods: a 20-year root, a 10-year intermediate, 375-day leaves. */
export const DEFAULT_DAYS = { root: 7300, intermediate: 3650, leaf: 375 } as const;
export type PkiDays = { root: number; intermediate: number; leaf: number };

export const KEY_MODE = 0o600;
export const FILE_MODE = 0o644;

export interface PkiOptions {
  hosts: readonly string[];
  /** `rsa`: 4096-bit CAs and 2048-bit leaves, as the walkthrough; `ecdsa`: P-256 everywhere. Default `rsa`. */
  profile?: PkiProfile;
  days?: Partial<PkiDays>;
  /** One root + intermediate signing every host's leaves, instead of one tree per host. */
  sharedCa?: boolean;
  /** Extra server-certificate SANs (DNS names, `*.wildcards`, IP addresses), added for every host. */
  sans?: readonly string[];
  /** Encrypts the root and intermediate keys (PKCS#8, AES-256-CBC). Leaf keys stay plain: Envoy must load them. */
  caPassphrase?: string;
  organization?: string;
  now: Date;
  onProgress?: (event: PkiProgress) => void;
}

export type PkiProgress =
  | { phase: 'keys'; done: number; total: number }
  | { phase: 'signing'; done: number; total: number };

export interface PkiFile {
  /** '/'-separated, relative to the output folder. */
  path: string;
  contents: string;
  mode: number;
}

export interface PkiHost {
  host: string;
  paths: TreePaths;
}

export interface PkiPlan {
  profile: PkiProfile;
  days: PkiDays;
  sharedCa: boolean;
  sans: string[];
  /** One entry per root CA: the folder of its tree and the hosts it signs for. */
  groups: { base: string; label: string; hosts: PkiHost[] }[];
  /** Every file the tree will contain, so an adapter can refuse to overwrite before any slow key generation. */
  paths: string[];
}

export interface PkiTree {
  plan: PkiPlan;
  files: PkiFile[];
  hosts: PkiHost[];
}

export class PkiOptionsError extends Error {}

/** Validates the options and lays out the tree without generating anything. */
export function planPki(options: PkiOptions): PkiPlan {
  const profile = options.profile ?? 'rsa';
  if (!(PKI_PROFILES as readonly string[]).includes(profile)) throw new PkiOptionsError(`Unknown profile "${profile}".`);
  const hosts = [...new Set(options.hosts)];
  if (hosts.length === 0) throw new PkiOptionsError('At least one host is needed.');
  for (const h of hosts) if (!isValidHost(h)) throw new PkiOptionsError(`"${h}" is not a DNS host name.`);
  const sans = [...new Set(options.sans ?? [])];
  for (const s of sans) if (!sanKind(s)) throw new PkiOptionsError(`"${s}" is neither a DNS name, a wildcard nor an IP address.`);
  const days: PkiDays = { ...DEFAULT_DAYS, ...stripUndefined(options.days ?? {}) };
  for (const [role, n] of Object.entries(days)) {
    if (!Number.isInteger(n) || n < 1 || n > 36500) throw new PkiOptionsError(`Validity for ${role} must be a whole number of days from 1 to 36500 (got ${n}).`);
  }
  if (options.caPassphrase !== undefined && options.caPassphrase.length < 4) {
    // OpenSSL refuses to read PEM passphrases shorter than 4 characters interactively; keep keys usable with it.
    throw new PkiOptionsError('The CA passphrase must have at least 4 characters.');
  }
  const sharedCa = Boolean(options.sharedCa);
  const groups = sharedCa
    ? [{ base: '', label: options.organization ?? 'meshtls', hosts: hosts.map((host) => ({ host, paths: treePaths('', host) })) }]
    : hosts.map((host) => ({ base: host, label: host, hosts: [{ host, paths: treePaths(host, host) }] }));
  const paths: string[] = [];
  for (const g of groups) {
    const first = g.hosts[0].paths;
    paths.push(first.rootCert, first.rootKey, first.intermediateCert, first.intermediateKey, first.intermediateCsr, first.chain);
    for (const { paths: p } of g.hosts) paths.push(p.serverCert, p.serverKey, p.serverCsr, p.clientCert, p.clientKey, p.clientCsr);
  }
  return { profile, days, sharedCa, sans, groups, paths };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type KeyRole = 'ca' | 'leaf';

function keyAlgorithm(profile: PkiProfile, role: KeyRole): RsaHashedKeyGenParams | EcKeyGenParams {
  if (profile === 'ecdsa') return { name: 'ECDSA', namedCurve: 'P-256' };
  return {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: role === 'ca' ? 4096 : 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
}

function signingAlgorithm(profile: PkiProfile): Algorithm | EcdsaParams {
  return profile === 'ecdsa' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
}

/** 16 random bytes, top bit clear so the DER INTEGER stays positive, never zero-led (RFC 5280 §4.1.2.2). */
function randomSerial(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[0] = (b[0] & 0x7f) | 0x01;
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function addDays(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

function name(cn: string, organization: string): x509.JsonName {
  return [{ O: [organization] }, { CN: [cn] }];
}

function altNames(names: readonly string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(names.map((n): x509.JsonGeneralName => ({ type: sanKind(n) === 'ip' ? 'ip' : 'dns', value: n })));
}

async function keyPem(key: CryptoKey, passphrase: string | undefined): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  if (passphrase === undefined) return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

function certPem(cert: x509.X509Certificate | x509.Pkcs10CertificateRequest): string {
  return cert.toString('pem') + '\n';
}

/**
 * Generates the tree. Every key is independent, so all of them are generated at once (Node runs WebCrypto key
 * generation on its thread pool); then each CA signs in order, and the leaves of one intermediate in parallel.
 */
export async function generatePki(options: PkiOptions): Promise<PkiTree> {
  const plan = planPki(options);
  const { profile, days, sans } = plan;
  const org = options.organization ?? 'meshtls';
  const now = options.now;
  const sigAlg = signingAlgorithm(profile);
  const progress = options.onProgress;

  type Keys = { root: CryptoKeyPair; intermediate: CryptoKeyPair; leaves: { server: CryptoKeyPair; client: CryptoKeyPair }[] };
  const total = plan.groups.reduce((n, g) => n + 2 + 2 * g.hosts.length, 0);
  let done = 0;
  const gen = async (role: KeyRole): Promise<CryptoKeyPair> => {
    const pair = (await subtle.generateKey(keyAlgorithm(profile, role), true, ['sign', 'verify'])) as CryptoKeyPair;
    progress?.({ phase: 'keys', done: ++done, total });
    return pair;
  };
  const keys: Keys[] = await Promise.all(
    plan.groups.map(async (g) => {
      const [root, intermediate, ...leafKeys] = await Promise.all([gen('ca'), gen('ca'), ...g.hosts.flatMap(() => [gen('leaf'), gen('leaf')])]);
      const leaves = g.hosts.map((_, i) => ({ server: leafKeys[2 * i], client: leafKeys[2 * i + 1] }));
      return { root, intermediate, leaves };
    }),
  );

  const signTotal = plan.groups.reduce((n, g) => n + 3 + 4 * g.hosts.length, 0);
  let signed = 0;
  const step = <T>(p: Promise<T>): Promise<T> =>
    p.then((v) => {
      progress?.({ phase: 'signing', done: ++signed, total: signTotal });
      return v;
    });
  const caUsage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;
  // keyEncipherment only means something for RSA key transport; an ECDSA key cannot do it.
  const leafUsage = x509.KeyUsageFlags.digitalSignature | (profile === 'rsa' ? x509.KeyUsageFlags.keyEncipherment : 0);

  const files: PkiFile[] = [];
  const hosts: PkiHost[] = [];
  await Promise.all(
    plan.groups.map(async (g, gi) => {
      const k = keys[gi];
      const paths0 = g.hosts[0].paths;
      // Exported and parsed once per key, then shared by the SKI and the certificate (which would each redo it).
      const [rootPub, intermediatePub] = await Promise.all([x509.PublicKey.create(k.root.publicKey), x509.PublicKey.create(k.intermediate.publicKey)]);
      const [rootSki, intermediateSki] = await Promise.all([
        x509.SubjectKeyIdentifierExtension.create(rootPub),
        x509.SubjectKeyIdentifierExtension.create(intermediatePub),
      ]);
      const rootAki = new x509.AuthorityKeyIdentifierExtension(rootSki.keyId);
      const intermediateAki = new x509.AuthorityKeyIdentifierExtension(intermediateSki.keyId);
      const rootCert = await step(
        x509.X509CertificateGenerator.createSelfSigned({
          serialNumber: randomSerial(),
          name: name(`${g.label} Root CA`, org),
          notBefore: now,
          notAfter: addDays(now, days.root),
          keys: k.root,
          signingAlgorithm: sigAlg,
          extensions: [
            new x509.BasicConstraintsExtension(true, undefined, true),
            new x509.KeyUsagesExtension(caUsage, true),
            rootSki,
            rootAki,
          ],
        }),
      );
      const intermediateName = name(`${g.label} Intermediate CA`, org);
      const [intermediateCert, intermediateCsr] = await Promise.all([
        step(
          x509.X509CertificateGenerator.create({
            serialNumber: randomSerial(),
            subject: intermediateName,
            issuer: rootCert.subjectName,
            notBefore: now,
            notAfter: addDays(now, days.intermediate),
            publicKey: intermediatePub,
            signingKey: k.root.privateKey,
            signingAlgorithm: sigAlg,
            extensions: [
              new x509.BasicConstraintsExtension(true, 0, true),
              new x509.KeyUsagesExtension(caUsage, true),
              intermediateSki,
              rootAki,
            ],
          }),
        ),
        step(x509.Pkcs10CertificateRequestGenerator.create({ name: intermediateName, keys: k.intermediate, signingAlgorithm: sigAlg })),
      ]);
      const rootPem = certPem(rootCert);
      const intermediatePem = certPem(intermediateCert);
      const [rootKeyPem, intermediateKeyPem] = await Promise.all([
        keyPem(k.root.privateKey, options.caPassphrase),
        keyPem(k.intermediate.privateKey, options.caPassphrase),
      ]);
      files.push(
        { path: paths0.rootCert, contents: rootPem, mode: FILE_MODE },
        { path: paths0.rootKey, contents: rootKeyPem, mode: KEY_MODE },
        { path: paths0.intermediateCert, contents: intermediatePem, mode: FILE_MODE },
        { path: paths0.intermediateKey, contents: intermediateKeyPem, mode: KEY_MODE },
        { path: paths0.intermediateCsr, contents: certPem(intermediateCsr), mode: FILE_MODE },
        // Intermediate first, then root: the order of the walkthrough's `cat`, and what TLS peers expect.
        { path: paths0.chain, contents: intermediatePem + rootPem, mode: FILE_MODE },
      );

      const leaf = async (host: string, role: 'server' | 'client', pair: CryptoKeyPair) => {
        const subject = name(role === 'server' ? host : `${host} client`, org);
        const names = role === 'server' ? [host, ...sans.filter((s) => s !== host)] : [host];
        const pub = await x509.PublicKey.create(pair.publicKey);
        const [ski, csr, keyText] = await Promise.all([
          x509.SubjectKeyIdentifierExtension.create(pub),
          step(x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys: pair, signingAlgorithm: sigAlg, extensions: [altNames(names)] })),
          keyPem(pair.privateKey, undefined),
        ]);
        const certificate = await step(
          x509.X509CertificateGenerator.create({
            serialNumber: randomSerial(),
            subject,
            issuer: intermediateCert.subjectName,
            notBefore: now,
            notAfter: addDays(now, days.leaf),
            publicKey: pub,
            signingKey: k.intermediate.privateKey,
            signingAlgorithm: sigAlg,
            extensions: [
              new x509.BasicConstraintsExtension(false, undefined, false),
              new x509.KeyUsagesExtension(leafUsage, true),
              new x509.ExtendedKeyUsageExtension([role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
              altNames(names),
              ski,
              intermediateAki,
            ],
          }),
        );
        return { cert: certPem(certificate), csr: certPem(csr), key: keyText };
      };

      const leaves = await Promise.all(
        g.hosts.map(async ({ host, paths }, i) => {
          const [server, client] = await Promise.all([leaf(host, 'server', k.leaves[i].server), leaf(host, 'client', k.leaves[i].client)]);
          return { host, paths, server, client };
        }),
      );
      for (const { host, paths, server, client } of leaves) {
        hosts.push({ host, paths });
        files.push(
          { path: paths.serverCert, contents: server.cert, mode: FILE_MODE },
          { path: paths.serverKey, contents: server.key, mode: KEY_MODE },
          { path: paths.serverCsr, contents: server.csr, mode: FILE_MODE },
          { path: paths.clientCert, contents: client.cert, mode: FILE_MODE },
          { path: paths.clientKey, contents: client.key, mode: KEY_MODE },
          { path: paths.clientCsr, contents: client.csr, mode: FILE_MODE },
        );
      }
    }),
  );
  // Promise.all above interleaves groups; the plan's order is the stable one callers print.
  const order = new Map(plan.paths.map((p, i) => [p, i]));
  files.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  const hostOrder = options.hosts.indexOf.bind(options.hosts);
  hosts.sort((a, b) => hostOrder(a.host) - hostOrder(b.host));
  return { plan, files, hosts };
}
