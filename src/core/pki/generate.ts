import type { KeyObject } from 'node:crypto';
import type { Name } from '@peculiar/asn1-x509';
import { createCertificate, createCsr, distinguishedName, generateKeys, pem, KEY_USAGE, type ExtensionSpec, type KeyPair, type KeySpec } from './der';
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

function keySpec(profile: PkiProfile, role: KeyRole): KeySpec {
  return profile === 'ecdsa' ? { type: 'ec' } : { type: 'rsa', bits: role === 'ca' ? 4096 : 2048 };
}

/** 16 random bytes, top bit clear so the DER INTEGER stays positive, never zero-led (RFC 5280 §4.1.2.2). */
function randomSerial(): Uint8Array {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

function addDays(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

function name(cn: string, organization: string): Name {
  return distinguishedName([
    { type: 'O', value: organization },
    { type: 'CN', value: cn },
  ]);
}

function altNames(names: readonly string[]): ExtensionSpec {
  return { kind: 'subject-alt-name', names: names.map((n) => ({ type: sanKind(n) === 'ip' ? 'ip' : 'dns', value: n })) };
}

function keyPem(key: KeyObject, passphrase: string | undefined): string {
  if (passphrase === undefined) return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/**
 * Generates the tree. Every key is independent, so all of them are generated at once (Node runs key generation on its
 * thread pool); then each CA signs in order. Signing a small DER object takes well under a millisecond, so it runs
 * synchronously.
 */
export async function generatePki(options: PkiOptions): Promise<PkiTree> {
  const plan = planPki(options);
  const { profile, days, sans } = plan;
  const org = options.organization ?? 'meshtls';
  const now = options.now;
  const progress = options.onProgress;

  type Keys = { root: KeyPair; intermediate: KeyPair; leaves: { server: KeyPair; client: KeyPair }[] };
  const total = plan.groups.reduce((n, g) => n + 2 + 2 * g.hosts.length, 0);
  let done = 0;
  const gen = async (role: KeyRole): Promise<KeyPair> => {
    const pair = await generateKeys(keySpec(profile, role));
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
  const step = <T>(v: T): T => {
    progress?.({ phase: 'signing', done: ++signed, total: signTotal });
    return v;
  };
  const caUsage = KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign | KEY_USAGE.digitalSignature;
  // keyEncipherment only means something for RSA key transport; an ECDSA key cannot do it.
  const leafUsage = KEY_USAGE.digitalSignature | (profile === 'rsa' ? KEY_USAGE.keyEncipherment : 0);

  const files: PkiFile[] = [];
  const hosts: PkiHost[] = [];
  plan.groups.forEach((g, gi) => {
    const k = keys[gi];
    const paths0 = g.hosts[0].paths;
    const rootName = name(`${g.label} Root CA`, org);
    const rootCert = step(
      createCertificate({
        serial: randomSerial(),
        subject: rootName,
        issuer: rootName,
        notBefore: now,
        notAfter: addDays(now, days.root),
        publicKey: k.root.spki,
        signingKey: k.root.privateKey,
        extensions: [
          { kind: 'basic-constraints', ca: true },
          { kind: 'key-usage', flags: caUsage },
          { kind: 'subject-key-id', keyId: k.root.keyId },
          { kind: 'authority-key-id', keyId: k.root.keyId },
        ],
      }),
    );
    const intermediateName = name(`${g.label} Intermediate CA`, org);
    const intermediateCert = step(
      createCertificate({
        serial: randomSerial(),
        subject: intermediateName,
        issuer: rootName,
        notBefore: now,
        notAfter: addDays(now, days.intermediate),
        publicKey: k.intermediate.spki,
        signingKey: k.root.privateKey,
        extensions: [
          { kind: 'basic-constraints', ca: true, pathLength: 0 },
          { kind: 'key-usage', flags: caUsage },
          { kind: 'subject-key-id', keyId: k.intermediate.keyId },
          { kind: 'authority-key-id', keyId: k.root.keyId },
        ],
      }),
    );
    const intermediateCsr = step(createCsr({ subject: intermediateName, keys: k.intermediate }));
    const rootPem = pem(rootCert, 'CERTIFICATE');
    const intermediatePem = pem(intermediateCert, 'CERTIFICATE');
    files.push(
      { path: paths0.rootCert, contents: rootPem, mode: FILE_MODE },
      { path: paths0.rootKey, contents: keyPem(k.root.privateKey, options.caPassphrase), mode: KEY_MODE },
      { path: paths0.intermediateCert, contents: intermediatePem, mode: FILE_MODE },
      { path: paths0.intermediateKey, contents: keyPem(k.intermediate.privateKey, options.caPassphrase), mode: KEY_MODE },
      { path: paths0.intermediateCsr, contents: pem(intermediateCsr, 'CERTIFICATE REQUEST'), mode: FILE_MODE },
      // Intermediate first, then root: the order of the walkthrough's `cat`, and what TLS peers expect.
      { path: paths0.chain, contents: intermediatePem + rootPem, mode: FILE_MODE },
    );

    const leaf = (host: string, role: 'server' | 'client', pair: KeyPair) => {
      const subject = name(role === 'server' ? host : `${host} client`, org);
      const names = role === 'server' ? [host, ...sans.filter((s) => s !== host)] : [host];
      const csr = step(createCsr({ subject, keys: pair, extensions: [altNames(names)] }));
      const certificate = step(
        createCertificate({
          serial: randomSerial(),
          subject,
          issuer: intermediateName,
          notBefore: now,
          notAfter: addDays(now, days.leaf),
          publicKey: pair.spki,
          signingKey: k.intermediate.privateKey,
          extensions: [
            { kind: 'basic-constraints', ca: false },
            { kind: 'key-usage', flags: leafUsage },
            { kind: 'extended-key-usage', usages: [role === 'server' ? 'serverAuth' : 'clientAuth'] },
            altNames(names),
            { kind: 'subject-key-id', keyId: pair.keyId },
            { kind: 'authority-key-id', keyId: k.intermediate.keyId },
          ],
        }),
      );
      return { cert: pem(certificate, 'CERTIFICATE'), csr: pem(csr, 'CERTIFICATE REQUEST'), key: keyPem(pair.privateKey, undefined) };
    };

    g.hosts.forEach(({ host, paths }, i) => {
      const server = leaf(host, 'server', k.leaves[i].server);
      const client = leaf(host, 'client', k.leaves[i].client);
      hosts.push({ host, paths });
      files.push(
        { path: paths.serverCert, contents: server.cert, mode: FILE_MODE },
        { path: paths.serverKey, contents: server.key, mode: KEY_MODE },
        { path: paths.serverCsr, contents: server.csr, mode: FILE_MODE },
        { path: paths.clientCert, contents: client.cert, mode: FILE_MODE },
        { path: paths.clientKey, contents: client.key, mode: KEY_MODE },
        { path: paths.clientCsr, contents: client.csr, mode: FILE_MODE },
      );
    });
  });
  // The plan's order is the stable one callers print.
  const order = new Map(plan.paths.map((p, i) => [p, i]));
  files.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
  const hostOrder = options.hosts.indexOf.bind(options.hosts);
  hosts.sort((a, b) => hostOrder(a.host) - hostOrder(b.host));
  return { plan, files, hosts };
}
