import type { RelatedInfo, Severity, Span } from '../../types';
import type { RuleContext, WorkspaceRule } from '../types';
import { finding, READS_NOW, READS_OTHER_FILES } from '../types';
import { UNTYPED_DOCUMENTS } from '../../index/workspace-index';
import { ENGINE_RULES } from '../engine-rules';
import { useSilentlyDropped } from '../gateway-api/certificate-ref-verdicts';
import { credentialIndex, credentialUses, type CredentialUse, type MaterialRef } from '../../index/credentials';
import { parseMaterial, issues, type CertInfo, type KeyInfo, type ParsedMaterial } from '../../certs/x509';
import type { PemBlock } from '../../certs/pem';
import { CertPool, verifyChain, type ChainErrorKind, type ChainVerdict } from '../../certs/chain';

/**
 * What every certificate rule looks at for one credential use: the parsed `cert`, `key` and CA material and the
 * chain. Computed once per use (uses are rebuilt when the workspace changes) and shared by all rules and the hover.
 */
export interface CertEntry {
  cert: CertInfo;
  ref: MaterialRef;
  block: PemBlock;
  index: number;
}

export interface Analysis {
  use: CredentialUse;
  certMaterial?: ParsedMaterial;
  keyMaterial?: ParsedMaterial;
  caMaterial?: ParsedMaterial;
  /** Certificates of `cert`, in file order; the first is the leaf Envoy serves. */
  served: CertEntry[];
  leaf?: CertEntry;
  key?: { info: KeyInfo; ref: MaterialRef; block: PemBlock };
  ca: CertEntry[];
  /** Issuers known from the workspace (CA bundle, PKI tree CA files) for chain questions. */
  store: CertEntry[];
  clients: CertEntry[];
}

const analysisCache = new WeakMap<CredentialUse, Analysis>();
/** The lists of an analysis with no material; frozen, since they are shared. */
const NONE: CertEntry[] = Object.freeze([]) as unknown as CertEntry[];

function load(ref: MaterialRef | undefined): ParsedMaterial | undefined {
  return ref?.bytes ? parseMaterial(ref.bytes) : undefined;
}

function entries(ref: MaterialRef | undefined, m: ParsedMaterial | undefined): CertEntry[] {
  // DER material is unusable to Envoy (pem-malformed says so); checking its contents would only add noise.
  return ref && m && !m.der ? m.certs.map((c) => ({ cert: c.cert, ref, block: c.block, index: c.index })) : [];
}

export function analyze(use: CredentialUse, ctx: RuleContext): Analysis {
  const hit = analysisCache.get(use);
  if (hit) return hit;
  const r = use.resolution;
  if (!r.cert && !r.key && !r.ca && r.clients.length === 0 && !r.source?.tree) {
    // Nothing to read (an unresolved name): thousands of Gateways naming a missing Secret share the empty lists.
    const a: Analysis = { use, served: NONE, ca: NONE, store: NONE, clients: NONE };
    analysisCache.set(use, a);
    return a;
  }
  const certMaterial = load(r.cert);
  const keyMaterial = load(r.key);
  const caMaterial = load(r.ca);
  const served = entries(r.cert, certMaterial);
  const k = keyMaterial?.keys[0];
  const ca = entries(r.ca, caMaterial);
  const store = [...served.slice(1), ...ca];
  const tree = r.source?.tree ?? credentialIndex(ctx.index, ctx.config).trees.find((t) => r.cert && !r.cert.inline && r.cert.fileId.startsWith(`${t.dir}/`));
  if (tree) {
    for (const id of [tree.intermediateCert, tree.rootCert]) {
      const f = ctx.index.otherFiles.get(id);
      if (f) {
        const ref: MaterialRef = { key: 'ca', fileId: id, label: id, mention: { fileId: id, start: 0, end: 0 }, bytes: f.bytes, inline: false };
        store.push(...entries(ref, parseMaterial(f.bytes)));
      }
    }
  }
  const clients = r.clients.flatMap((c) => entries(c.cert, load(c.cert)).slice(0, 1));
  const a: Analysis = {
    use,
    certMaterial,
    keyMaterial,
    caMaterial,
    served,
    leaf: served[0],
    key: k && r.key ? { info: k.key, ref: r.key, block: k.block } : undefined,
    ca,
    store,
    clients,
  };
  analysisCache.set(use, a);
  return a;
}

/** The issuer of `c` among `pool` (by AKI/SKI and signature), if any. */
export function issuerIn(c: CertInfo, pool: CertEntry[]): CertEntry | undefined {
  return pool.find((p) => p.cert.sha256 !== c.sha256 && issues(p.cert, c));
}

export interface BundleTrust {
  /** The CA bundle as a trust store (`openssl verify -CAfile`). */
  pool: CertPool;
  /** Whether the bundle holds a self-signed certificate at all: without one no chain can end in it. */
  hasRoot: boolean;
  /** CA certificates of the bundle that the bundle itself cannot verify, for reasons other than their dates. */
  broken: { entry: CertEntry; verdict: ChainVerdict }[];
}

// Dates have their own rules (cert-expired, cert-not-yet-valid); these are the structural failures.
const STRUCTURAL: readonly ChainErrorKind[] = ['unable-to-get-issuer', 'unable-to-get-local-issuer', 'signature-failure', 'invalid-ca', 'path-length-exceeded', 'self-signed-in-chain', 'chain-too-long'];

export function isStructural(v: ChainVerdict): boolean {
  return !!v.error && STRUCTURAL.includes(v.error.kind);
}

const trustCache = new WeakMap<Analysis, { now: number; value: BundleTrust }>();

/** How the credential's CA bundle stands as a trust store of its own, computed once per analysis and `now`. */
export function bundleTrust(a: Analysis, now: Date): BundleTrust {
  const hit = trustCache.get(a);
  if (hit && hit.now === now.getTime()) return hit.value;
  const pool = new CertPool(a.ca.map((e) => e.cert));
  const broken: BundleTrust['broken'] = [];
  for (const entry of a.ca) {
    if (!entry.cert.isCA || entry.cert.selfIssued) continue;
    const verdict = verifyChain({ leaf: entry.cert, trusted: pool, now });
    if (isStructural(verdict)) broken.push({ entry, verdict });
  }
  const value = { pool, hasRoot: a.ca.some((e) => e.cert.selfIssued), broken };
  trustCache.set(a, { now: now.getTime(), value });
  return value;
}

export function describeCert(c: CertInfo): string {
  return `"${c.commonName ?? c.subject.replace(/\n/g, ', ')}"`;
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Where a piece of material is, for `related`: the PEM block in its file, or the Secret value. */
export function relatedFor(ref: MaterialRef, message: string, block?: PemBlock): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (ref.inline) out.push({ ...ref.mention, message });
  else {
    const m = ref.bytes ? parseMaterial(ref.bytes) : undefined;
    const start = block && m && !m.der ? block.start : 0;
    const lineEnd = block && m && !m.der ? m.text.indexOf('\n', start) : -1;
    out.push({ fileId: ref.fileId, start, end: lineEnd > start ? lineEnd : start, message });
    // The line that puts this file into the Secret (a --from-file argument, a .meshtls.yaml entry).
    if (ref.mention.fileId !== ref.fileId) out.push({ ...ref.mention, message: `"${ref.key}" comes from here` });
  }
  return out;
}

export interface Issue {
  message: string;
  /** A few words naming what failed, for the CodeLens and the Credentials view (`SAN does not cover a.example.com`). */
  short?: string;
  related?: RelatedInfo[];
  severity?: Severity;
  span?: Span;
}

/** A credential rule: evaluate() is the check itself (the hover calls it too); check() turns issues into findings. */
export interface CredentialRule extends WorkspaceRule {
  evaluate(a: Analysis, ctx: RuleContext): Issue[];
  /**
   * True when the rule judges certificate and key material only, so it has nothing to say about a use without any
   * (an unresolved name): the check loop skips those uses instead of asking, which matters when thousands of
   * Gateways name one missing Secret. A test holds every such rule to silence on every material-less use.
   */
  needsMaterial?: boolean;
}

/** True when the analysis holds no certificate, key or CA material at all (nothing a material rule can judge). */
export function hasNoMaterial(a: Analysis): boolean {
  const r = a.use.resolution;
  return !r.cert && !r.key && !r.ca && a.served.length === 0 && a.ca.length === 0 && a.store.length === 0 && a.clients.length === 0;
}

/**
 * What every credential rule reads through credentialUses, the credential index and analyze(): the Gateways and
 * Gateway API listeners that use credentials (with their classes, parents and namespaces), the Secrets, ConfigMaps,
 * ReferenceGrants and cert-manager Certificates (untyped documents) that provide them, and the certificate files.
 */
export const CREDENTIAL_READS: readonly string[] = ['Gateway', 'K8sGateway', 'ListenerSet', 'GatewayClass', 'Namespace', 'Secret', 'ConfigMap', 'ReferenceGrant', UNTYPED_DOCUMENTS, READS_OTHER_FILES];
/** The same for a credential rule that compares dates with `ctx.now`. */
export const CREDENTIAL_READS_AND_NOW: readonly string[] = [...CREDENTIAL_READS, READS_NOW];

/** A checked credential use with its analysis, or the error analysing it raised (each rule then reports it). */
interface CheckedUse {
  use: CredentialUse;
  a?: Analysis;
  err?: Error;
}

const checkedCache = new WeakMap<CredentialUse[], { all: CheckedUse[]; material: CheckedUse[] }>();

/**
 * The uses the credential rules check (every one but the `not-checked`), analysed once per list of uses, and those of
 * them with material for the `needsMaterial` rules, in the same order: 24 rules asking for each of 20,000 uses' analysis
 * was half a million lookups, most of them for uses without any material.
 */
function checkedUses(ctx: RuleContext): { all: CheckedUse[]; material: CheckedUse[] } {
  const uses = credentialUses(ctx.index, ctx.config);
  let hit = checkedCache.get(uses);
  if (!hit) {
    const all: CheckedUse[] = [];
    const material: CheckedUse[] = [];
    for (const use of uses) {
      if (use.resolution.status === 'not-checked') continue;
      let entry: CheckedUse;
      try {
        entry = { use, a: analyze(use, ctx) };
      } catch (err) {
        entry = { use, err: err as Error };
      }
      all.push(entry);
      if (!entry.a || !hasNoMaterial(entry.a)) material.push(entry);
    }
    checkedCache.set(uses, (hit = { all, material }));
  }
  return hit;
}

export function credentialRule(def: Omit<CredentialRule, 'scope' | 'kinds' | 'check'> & { kinds?: readonly string[] }): CredentialRule {
  const rule: CredentialRule = {
    kinds: ['Gateway'],
    reads: CREDENTIAL_READS,
    ...def,
    scope: 'workspace',
    check(ctx) {
      const out = [];
      const checked = checkedUses(ctx);
      for (const { use, a, err } of rule.needsMaterial ? checked.material : checked.all) {
        // The bad half of two certificateRefs is never served; gateway-api-certificate-ref-silently-dropped says so once.
        if (use.listener && useSilentlyDropped(ctx, use)) continue;
        let issues: Issue[];
        try {
          if (err) throw err;
          issues = rule.evaluate(a!, ctx);
        } catch (e) {
          // Workspace rules are not guarded by the linter: one odd file must not take every finding down with it.
          out.push(ENGINE_RULES.ruleCrashed.make(rule.id, use.gateway, e as Error));
          continue;
        }
        for (const i of issues) out.push(finding(rule, i.span ?? use.span, i.message, { related: i.related, severity: i.severity }));
      }
      return out;
    },
  };
  return rule;
}
