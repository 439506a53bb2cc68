import type { CertInfo } from './x509';
import { pathLengthOf } from './rich';

/**
 * Chain verification the way OpenSSL and BoringSSL do it by default, which is how Envoy verifies client certificates
 * (and how curl verifies the gateway): without X509_V_FLAG_PARTIAL_CHAIN a chain is trusted only when it ends at a
 * self-signed certificate that is in the trust store (envoyproxy/envoy#19326, #22350). A CA bundle holding only an
 * intermediate, or an intermediate beside a root that has its name but not its key, trusts nothing.
 *
 * Building follows OpenSSL's build_chain: issuers are looked up by subject name and accepted by X509_check_issued
 * (names, authorityKeyIdentifier against subjectKeyIdentifier, keyUsage keyCertSign), trusted certificates first, and
 * once a trusted certificate is on the path only trusted issuers follow. Then, like check_chain_extensions and
 * internal_verify: every issuer must be a CA within its pathLenConstraint, and from the anchor down every signature
 * must verify and every certificate must be within its validity period at `now`. Signatures are checked by node:crypto
 * (OpenSSL) synchronously, because rules run synchronously on every lint; the anchor's self-signature is not checked,
 * as in OpenSSL. Where several complete paths exist, the first one that verifies wins (OpenSSL would report the
 * first one's error); the codes and texts below are OpenSSL's so that `openssl verify` can be the judge in tests.
 */
export const CHAIN_ERRORS = {
  'unable-to-get-issuer': { text: 'unable to get issuer certificate' },
  'signature-failure': { text: 'certificate signature failure' },
  'not-yet-valid': { text: 'certificate is not yet valid' },
  expired: { text: 'certificate has expired' },
  'self-signed-leaf': { text: 'self-signed certificate' },
  'self-signed-in-chain': { text: 'self-signed certificate in certificate chain' },
  'unable-to-get-local-issuer': { text: 'unable to get local issuer certificate' },
  'invalid-ca': { text: 'invalid CA certificate' },
  'path-length-exceeded': { text: 'path length constraint exceeded' },
  'chain-too-long': { text: 'certificate chain too long' },
} as const;

export type ChainErrorKind = keyof typeof CHAIN_ERRORS;

export interface ChainError {
  kind: ChainErrorKind;
  /** Position of the offending certificate on the path, the leaf being 0 (OpenSSL's "error N at D depth"). */
  depth: number;
  cert: CertInfo;
  /**
   * For a missing issuer: certificates that carry the issuer's name but did not qualify (another key, no
   * keyCertSign), the usual sign of a root regenerated after its intermediate was signed.
   */
  lookAlikes: CertInfo[];
}

export interface ChainVerdict {
  ok: boolean;
  /** Leaf first: the verified path up to its anchor, or the path that failed (as far as it could be built). */
  path: CertInfo[];
  error?: ChainError;
}

/** Certificates indexed by subject, so that issuer lookups stay linear in bundles of thousands. */
export class CertPool {
  private readonly bySubject = new Map<string, CertInfo[]>();
  private readonly hashes = new Set<string>();

  constructor(certs: Iterable<CertInfo> = []) {
    for (const c of certs) this.add(c);
  }

  add(c: CertInfo): void {
    if (this.hashes.has(c.sha256)) return;
    this.hashes.add(c.sha256);
    const list = this.bySubject.get(c.subject);
    if (list) list.push(c);
    else this.bySubject.set(c.subject, [c]);
  }

  has(c: CertInfo): boolean {
    return this.hashes.has(c.sha256);
  }

  get size(): number {
    return this.hashes.size;
  }

  /** Certificates whose subject is `c`'s issuer name. */
  named(c: CertInfo): CertInfo[] {
    return this.bySubject.get(c.issuer) ?? [];
  }

  all(): CertInfo[] {
    return [...this.bySubject.values()].flat();
  }
}

/**
 * OpenSSL's and BoringSSL's default verify depth (Envoy keeps it unless `max_verify_depth` is set): at most 100
 * intermediates between the leaf and the anchor, so a path holds at most 102 certificates. A longer chain fails with
 * "certificate chain too long" at depth 101, where OpenSSL stops looking.
 */
const MAX_DEPTH = 100;
const MAX_PATHS = 8;
/**
 * Bounds the search. OpenSSL builds one path and retries few alternatives; trying every issuer that qualifies is
 * exponential in the depth when a bundle holds several re-issued copies of each CA (same name, same key), so the
 * search gives up on more alternatives once it has looked at this many partial paths.
 */
const MAX_VISITS = 5_000;

// Per child certificate, then issuer fingerprint: a lookup per step of a search that takes hundreds of thousands of
// steps on a long bundle, where a concatenated string key cost a third of the search.
const checkIssuedCache = new WeakMap<CertInfo, Map<string, boolean>>();
const signatureCache = new WeakMap<CertInfo, Map<string, boolean>>();

function cached(cache: WeakMap<CertInfo, Map<string, boolean>>, issuer: CertInfo, child: CertInfo, f: () => boolean): boolean {
  let byIssuer = cache.get(child);
  const hit = byIssuer?.get(issuer.sha256);
  if (hit !== undefined) return hit;
  let v: boolean;
  try {
    v = f();
  } catch {
    v = false;
  }
  if (!byIssuer) cache.set(child, (byIssuer = new Map()));
  byIssuer.set(issuer.sha256, v);
  return v;
}

/** X509_check_issued: names, AKI/SKI and the issuer's keyUsage; not the signature. */
export function checkIssued(issuer: CertInfo, child: CertInfo): boolean {
  return cached(checkIssuedCache, issuer, child, () => child.x509.checkIssued(issuer.x509));
}

export function signatureVerifies(issuer: CertInfo, child: CertInfo): boolean {
  return cached(signatureCache, issuer, child, () => child.x509.verify(issuer.x509.publicKey));
}

function timeError(c: CertInfo, now: Date): ChainErrorKind | undefined {
  if (c.notBefore.getTime() > now.getTime()) return 'not-yet-valid';
  if (c.notAfter.getTime() < now.getTime()) return 'expired';
  return undefined;
}

/** check_chain_extensions, then internal_verify (anchor down: signature, then validity period). */
function validate(path: CertInfo[], now: Date): ChainError | undefined {
  const err = (kind: ChainErrorKind, depth: number): ChainError => ({ kind, depth, cert: path[depth], lookAlikes: [] });
  let belowCAs = 0;
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (!c.isCA) return err('invalid-ca', i);
    // pathLenConstraint counts the non-self-issued intermediates below this CA.
    if (i > 1) {
      const limit = pathLengthOf(c);
      if (limit !== undefined && belowCAs > limit) return err('path-length-exceeded', i);
    }
    if (!c.selfIssued) belowCAs++;
  }
  for (let i = path.length - 1; i >= 0; i--) {
    if (i < path.length - 1 && !signatureVerifies(path[i + 1], path[i])) return err('signature-failure', i);
    const t = timeError(path[i], now);
    if (t) return err(t, i);
  }
  return undefined;
}

/**
 * Verifies `leaf` against `trusted` (the CA bundle: `openssl verify -CAfile`), completing the path with `untrusted`
 * (certificates sent alongside: `-untrusted`).
 */
export function verifyChain(opts: { leaf: CertInfo; trusted: CertPool; untrusted?: CertPool; now: Date }): ChainVerdict {
  const { leaf, trusted, now } = opts;
  const untrusted = opts.untrusted ?? new CertPool();
  const complete: CertInfo[][] = [];
  let stuck: CertInfo[] = [leaf];
  let visits = 0;
  // The certificates on the current path, for the loop check in constant time (a path can be 102 long).
  const onPath = new Set<string>();
  // One path, extended and shortened in place; copied only when kept.
  const path: CertInfo[] = [leaf];
  const visit = (onlyTrusted: boolean) => {
    if (complete.length >= MAX_PATHS || ++visits > MAX_VISITS) return;
    const top = path[path.length - 1];
    if (top.selfIssued) {
      if (trusted.has(top)) complete.push([...path]);
      else if (path.length >= stuck.length) stuck = [...path];
      return;
    }
    // The depth limit: past it OpenSSL looks for no further issuer, trusted or not.
    if (path.length > MAX_DEPTH + 1) {
      if (path.length >= stuck.length) stuck = [...path];
      return;
    }
    const candidates = [...trusted.named(top), ...(onlyTrusted ? [] : untrusted.named(top).filter((c) => !trusted.has(c)))].filter((c) => !onPath.has(c.sha256) && checkIssued(c, top));
    // OpenSSL's get_issuer prefers an issuer that is currently valid.
    if (candidates.length > 1) candidates.sort((a, b) => Number(timeError(a, now) !== undefined) - Number(timeError(b, now) !== undefined));
    if (candidates.length === 0 && path.length >= stuck.length) stuck = [...path];
    for (const c of candidates) {
      onPath.add(c.sha256);
      path.push(c);
      visit(onlyTrusted || trusted.has(c));
      path.pop();
      onPath.delete(c.sha256);
    }
  };
  onPath.add(leaf.sha256);
  visit(trusted.has(leaf));
  for (const path of complete) if (!validate(path, now)) return { ok: true, path };
  if (complete.length) return { ok: false, path: complete[0], error: validate(complete[0], now) };
  const depth = stuck.length - 1;
  const top = stuck[depth];
  if (stuck.length > MAX_DEPTH + 1 && !top.selfIssued) return { ok: false, path: stuck, error: { kind: 'chain-too-long', depth, cert: top, lookAlikes: [] } };
  const kind: ChainErrorKind = top.selfIssued ? (depth === 0 ? 'self-signed-leaf' : 'self-signed-in-chain') : trusted.has(top) ? 'unable-to-get-issuer' : 'unable-to-get-local-issuer';
  const lookAlikes = top.selfIssued ? [] : [...trusted.named(top), ...untrusted.named(top)].filter((c) => c.sha256 !== top.sha256 && !stuck.includes(c));
  return { ok: false, path: stuck, error: { kind, depth, cert: top, lookAlikes } };
}

/** A clause for a failed verdict: OpenSSL's words, the certificate they concern, and a look-alike issuer if any. */
export function describeChainError(e: ChainError): string {
  const name = e.cert.commonName ?? e.cert.subject.replace(/\n/g, ', ');
  const base = `${CHAIN_ERRORS[e.kind].text} at "${name}"`;
  if ((e.kind === 'unable-to-get-issuer' || e.kind === 'unable-to-get-local-issuer') && e.lookAlikes.length) {
    return `${base}; the "${e.cert.issuerCommonName ?? e.cert.issuer}" present has another key`;
  }
  return base;
}
