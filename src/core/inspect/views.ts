import type { Span } from '../types';
import type { MeshtlsConfig } from '../config';
import type { WorkspaceIndex } from '../index/workspace-index';
import type { RuleContext } from '../rules/types';
import { credentialIndex, credentialUses, type CredentialUse, type MaterialRef } from '../index/credentials';
import { parseMaterial, allowsClientAuth, allowsServerAuth, type CertInfo, type KeyInfo } from '../certs/x509';
import { richView, ekuName } from '../certs/rich';
import { sansCoverGatewayHost } from '../certs/hostname';
import { analyze, bundleTrust, issuerIn, type BundleTrust, type CertEntry } from '../rules/credentials/analysis';
import { describeChainError } from '../certs/chain';
import { CREDENTIAL_CHECKS } from '../rules/credentials';

/**
 * Plain data for the hover, `meshtls inspect` and any other view of credentials and certificates. Private keys are
 * described by type, size and whether they match — never by content.
 */
export type CheckStatus = 'ok' | 'info' | 'warning' | 'error';

export interface CertCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface CertView {
  role: string;
  /** Where the certificate is: file id + span of its PEM block (or the Secret value). */
  location: Span & { label: string };
  commonName: string | undefined;
  subject: string;
  issuer: string;
  issuerCommonName: string | undefined;
  sans: string[];
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  keyAlgorithm: string;
  keyBits: number | undefined;
  signatureAlgorithm: string;
  serialNumber: string;
  sha256: string;
  isCA: boolean;
  selfSigned: boolean;
  extKeyUsage: string[];
  checks: CertCheck[];
}

export interface KeyView {
  location: Span & { label: string };
  status: 'ok' | 'encrypted' | 'unparseable';
  keyAlgorithm?: string;
  keyBits?: number;
  /** Whether it belongs to the served certificate; undefined when there is nothing to compare. */
  matchesCertificate?: boolean;
}

export interface MaterialView {
  label: string;
  blocks: number;
  problems: string[];
  certificates: CertView[];
  keys: KeyView[];
}

export interface CredentialView {
  name: string;
  raw: string;
  mode: string;
  workloadNamespace: string;
  /** Why the Secret is read there: the gateway pods' namespace (Istio Gateway) or the certificateRef's (Gateway API). */
  namespaceReason: string;
  status: 'resolved' | 'unresolved' | 'wrong-namespace' | 'not-checked';
  note?: string;
  looked: string[];
  source?: { kind: string; description: string; location: Span };
  /** Secret key → where its bytes come from. */
  files: { key: string; label: string; location: Span; missing?: string }[];
  /** Served certificates, then issuers found in the workspace (role says which). */
  chain: CertView[];
  ca: CertView[];
  key?: KeyView;
  clients: CertView[];
  /** One line per credential check: ok, or the findings it would report. */
  checks: { ruleId: string; summary: string; status: CheckStatus; messages: string[]; shorts: string[] }[];
}

const DAY = 86_400_000;

/** `RSA 2048`, `ECDSA P-256` (the curve already says the size), `ED25519`. */
export function keyLabel(v: { keyAlgorithm?: string; keyBits?: number }): string {
  const alg = v.keyAlgorithm ?? 'unknown';
  return v.keyBits && alg === 'RSA' ? `${alg} ${v.keyBits}` : alg;
}

function keyAlgorithm(k: { type: string; curve?: string }): string {
  if (k.type === 'rsa') return 'RSA';
  if (k.type === 'ec') return `ECDSA ${k.curve === 'prime256v1' ? 'P-256' : k.curve === 'secp384r1' ? 'P-384' : k.curve === 'secp521r1' ? 'P-521' : k.curve ?? ''}`.trim();
  return k.type.toUpperCase();
}

export function certView(c: CertInfo, opts: { role: string; location: Span & { label: string }; now: Date; expiryWarningDays: number; hosts?: string[]; usage?: 'server' | 'client' }): CertView {
  const rich = richView(c);
  // Whole days in the direction of travel, as the expiry rules count them: "expired 3 days ago" on both sides.
  const ms = c.notAfter.getTime() - opts.now.getTime();
  const daysLeft = ms >= 0 ? Math.floor(ms / DAY) : -Math.floor(-ms / DAY);
  const checks: CertCheck[] = [];
  if (c.notBefore.getTime() > opts.now.getTime()) checks.push({ name: 'validity', status: 'error', detail: `not valid until ${c.notBefore.toISOString().slice(0, 10)}` });
  else if (daysLeft < 0 || c.notAfter.getTime() < opts.now.getTime()) checks.push({ name: 'validity', status: 'error', detail: `expired ${-daysLeft} days ago` });
  else if (daysLeft < opts.expiryWarningDays) checks.push({ name: 'validity', status: 'warning', detail: `expires in ${daysLeft} days` });
  else checks.push({ name: 'validity', status: 'ok', detail: `${daysLeft} days left` });
  if (c.key.type === 'rsa' && (c.key.bits ?? 0) < 2048) checks.push({ name: 'key size', status: 'warning', detail: `${c.key.bits}-bit RSA` });
  if (rich.unparsed.length) checks.push({ name: 'extensions', status: 'warning', detail: `cannot parse the ${rich.unparsed.join(', ')}` });
  if (rich.signatureHash === 'SHA-1' && !c.selfIssued) checks.push({ name: 'signature', status: 'warning', detail: 'SHA-1' });
  if (opts.usage === 'server') {
    if (!c.dnsNames.length && !c.ipAddresses.length) checks.push({ name: 'SAN', status: 'warning', detail: 'no subjectAltName (CN only)' });
    else
      for (const h of opts.hosts ?? []) {
        const ok = sansCoverGatewayHost(c.dnsNames, c.ipAddresses, h);
        if (ok !== undefined) checks.push({ name: `host ${h}`, status: ok ? 'ok' : 'error', detail: ok ? 'covered by a SAN' : 'not covered by any SAN' });
      }
    if (!allowsServerAuth(c)) checks.push({ name: 'usage', status: 'warning', detail: 'no serverAuth extended key usage' });
    if (c.isCA) checks.push({ name: 'usage', status: 'warning', detail: 'CA certificate used as server certificate' });
  }
  if (opts.usage === 'client' && !allowsClientAuth(c)) checks.push({ name: 'usage', status: 'warning', detail: 'no clientAuth extended key usage' });
  return {
    role: opts.role,
    location: opts.location,
    commonName: c.commonName,
    subject: c.subject.split('\n').join(', '),
    issuer: c.issuer.split('\n').join(', '),
    issuerCommonName: c.issuerCommonName,
    sans: [...c.dnsNames.map((d) => `DNS:${d}`), ...c.ipAddresses.map((i) => `IP:${i}`), ...c.uris.map((u) => `URI:${u}`), ...c.emails.map((e) => `email:${e}`)],
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft,
    keyAlgorithm: keyAlgorithm(c.key),
    keyBits: c.key.bits,
    signatureAlgorithm: rich.signatureAlgorithm,
    serialNumber: rich.serialNumber,
    sha256: c.x509.fingerprint256,
    isCA: c.isCA,
    selfSigned: c.selfIssued,
    extKeyUsage: c.extKeyUsage?.map(ekuName) ?? [],
    checks,
  };
}

function locationOf(ref: MaterialRef, block?: { start: number; end: number }): Span & { label: string } {
  if (ref.inline || !block) return { ...(ref.inline ? ref.mention : { fileId: ref.fileId, start: 0, end: 0 }), label: ref.label };
  return { fileId: ref.fileId, start: block.start, end: block.end, label: ref.label };
}

function keyView(k: KeyInfo, ref: MaterialRef, block: { start: number; end: number }, cert?: CertInfo): KeyView {
  const v: KeyView = { location: locationOf(ref, block), status: k.status };
  if (k.status === 'ok') {
    v.keyAlgorithm = keyAlgorithm(k.key);
    v.keyBits = k.key.bits;
    if (cert) v.matchesCertificate = k.spki.equals(cert.spki);
  }
  return v;
}

/** A certificate/key file or a Secret value on its own (hover on a PEM file or a `tls.crt:` value; `meshtls inspect`). */
export function inspectMaterial(bytes: Uint8Array | string, opts: { label: string; fileId: string; inline?: Span; now: Date; expiryWarningDays: number }): MaterialView {
  const m = parseMaterial(bytes);
  const ref: MaterialRef = { key: '', fileId: opts.fileId, label: opts.label, mention: opts.inline ?? { fileId: opts.fileId, start: 0, end: 0 }, bytes: typeof bytes === 'string' ? undefined : bytes, inline: !!opts.inline };
  const first = m.certs[0]?.cert;
  const certificates = m.certs.map((c) =>
    certView(c.cert, { role: c.cert.isCA ? (c.cert.selfIssued ? 'root CA' : 'intermediate CA') : 'certificate', location: locationOf(ref, c.block), now: opts.now, expiryWarningDays: opts.expiryWarningDays }),
  );
  return {
    label: opts.label,
    blocks: m.blocks.length,
    problems: [...m.problems.map((p) => p.message), ...m.badCerts.map((b) => `certificate block ${b.index + 1} cannot be parsed`)],
    certificates,
    keys: m.keys.map((k) => keyView(k.key, ref, k.block, first)),
  };
}

/** The credential reference under an offset of a Gateway file (credentialName or an entry of credentialNames). */
export function credentialAt(index: WorkspaceIndex, config: MeshtlsConfig, fileId: string, offset: number): CredentialUse | undefined {
  const within = (s: Span | undefined) => s !== undefined && s.fileId === fileId && s.start <= offset && offset <= s.end;
  const uses = credentialUses(index, config);
  // A Gateway API caCertificateRef is shared by the listeners on its port: show the first one's credential and CA.
  return uses.find((u) => within(u.span)) ?? uses.find((u) => within(u.caSpan));
}

/** The Secret data value (from a Secret manifest) under an offset, with its decoded bytes. */
export function secretValueAt(index: WorkspaceIndex, config: MeshtlsConfig, fileId: string, offset: number): MaterialRef | undefined {
  for (const s of credentialIndex(index, config).sources) {
    if (s.kind !== 'secret' || s.origin.fileId !== fileId) continue;
    for (const r of s.entries.values()) if (r.mention.start <= offset && offset <= r.mention.end) return r;
  }
  return undefined;
}

/** How a certificate of the client CA bundle stands in the bundle's own verification (Envoy's, no partial chains). */
function bundleChecks(c: CertInfo, trust: BundleTrust): CertCheck[] {
  const broken = trust.broken.find((b) => b.entry.cert.sha256 === c.sha256);
  if (broken) return [{ name: 'trust', status: 'error', detail: `the bundle cannot verify it: ${describeChainError(broken.verdict.error!)}` }];
  const lookAlikeOf = trust.broken.find((b) => b.verdict.error?.lookAlikes.some((l) => l.sha256 === c.sha256));
  if (lookAlikeOf) return [{ name: 'trust', status: 'error', detail: `has the name of the issuer of ${lookAlikeOf.entry.cert.commonName ?? lookAlikeOf.entry.cert.subject} but another key` }];
  if (!trust.hasRoot && c.isCA) return [{ name: 'trust', status: 'error', detail: 'not an anchor: the bundle holds no self-signed root' }];
  return c.selfIssued ? [{ name: 'trust', status: 'ok', detail: 'self-signed anchor' }] : [];
}

const SEVERITY_STATUS: Record<string, CheckStatus> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

export function inspectCredential(use: CredentialUse, ctx: RuleContext): CredentialView {
  const r = use.resolution;
  const a = analyze(use, ctx);
  const base = { now: ctx.now, expiryWarningDays: ctx.config.expiryWarningDays };
  const chain: CertView[] = a.served.map((e, i) => certView(e.cert, { ...base, role: i === 0 ? 'server certificate' : 'chain certificate', location: locationOf(e.ref, e.block), hosts: use.server.hosts, usage: i === 0 ? 'server' : undefined }));
  // Continue above the served chain with issuers the workspace knows (CA bundle, PKI tree), to show the full path.
  let top: CertEntry | undefined = a.served[a.served.length - 1];
  const seen = new Set(a.served.map((e) => e.cert.sha256));
  while (top && !top.cert.selfIssued) {
    const up = issuerIn(top.cert, a.store);
    if (!up || seen.has(up.cert.sha256)) break;
    seen.add(up.cert.sha256);
    chain.push(certView(up.cert, { ...base, role: `${up.cert.selfIssued ? 'root' : 'intermediate'} CA, not served`, location: locationOf(up.ref, up.block) }));
    top = up;
  }
  const checks = CREDENTIAL_CHECKS.map((rule) => {
    const severity = ctx.config.severity[rule.id] ?? rule.defaultSeverity;
    const issues = r.status === 'not-checked' || severity === 'off' ? [] : rule.evaluate(a, ctx);
    const worst = issues.reduce<CheckStatus>((w, i) => {
      const s = SEVERITY_STATUS[i.severity ?? severity];
      return w === 'error' || s === 'error' ? 'error' : w === 'warning' || s === 'warning' ? 'warning' : s;
    }, 'ok');
    return { ruleId: rule.id, summary: rule.summary, status: issues.length ? worst : ('ok' as CheckStatus), messages: issues.map((i) => i.message), shorts: issues.map((i) => i.short ?? rule.summary.replace(/\.$/, '')) };
  });
  const mutual = use.mode === 'MUTUAL' || use.mode === 'OPTIONAL_MUTUAL';
  const trust = bundleTrust(a, ctx.now);
  const files = r.source ? [...r.source.entries.values()].map((e) => ({ key: e.key, label: e.label, location: e.inline ? e.mention : { fileId: e.fileId, start: 0, end: 0 }, missing: e.missing })) : [];
  if (r.caSource && r.caSource !== r.source) for (const e of r.caSource.entries.values()) files.push({ key: `${r.caSource.name}: ${e.key}`, label: e.label, location: e.inline ? e.mention : { fileId: e.fileId, start: 0, end: 0 }, missing: e.missing });
  return {
    name: use.name,
    raw: use.raw,
    mode: use.mode,
    workloadNamespace: use.workloadNamespace,
    namespaceReason: !use.listener ? "the gateway pods'" : use.explicitNamespace ? "the certificateRef's" : `the ${use.gateway.kind === 'ListenerSet' ? 'ListenerSet' : 'Gateway'}'s`,
    status: r.status,
    note: r.note,
    looked: r.looked,
    source: r.source ? { kind: r.source.kind, description: r.source.description, location: r.source.origin } : undefined,
    files,
    chain,
    ca: a.ca.map((e) => {
      const v = certView(e.cert, { ...base, role: `client CA (${e.cert.selfIssued ? 'root' : e.cert.isCA ? 'intermediate' : 'not a CA'})`, location: locationOf(e.ref, e.block) });
      if (mutual) v.checks.push(...bundleChecks(e.cert, trust));
      return v;
    }),
    key: a.key ? keyView(a.key.info, a.key.ref, a.key.block, a.leaf?.cert) : undefined,
    clients: a.clients.map((e) => certView(e.cert, { ...base, role: 'client certificate', location: locationOf(e.ref, e.block), usage: 'client' })),
    checks,
  };
}
