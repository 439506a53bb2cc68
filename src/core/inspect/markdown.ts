import type { Span } from '../types';
import { credentialStatus, type CredentialStatus } from './status';
import { keyLabel, type CertView, type CheckStatus, type CredentialView, type KeyView, type MaterialView } from './views';

/**
 * Markdown for the editor hover. Links come from the adapter (`link`), since only it knows how to turn a file id and
 * offset into something clickable; without one, locations render as code.
 */
export interface MarkdownOptions {
  link?: (location: Span) => string | undefined;
  /** The credential's status when the adapter knows more than the view (findings of other rules on its line). */
  status?: CredentialStatus;
  /** A link that opens the chain panel, where the details folded out of the hover live. */
  chainLink?: string;
}

const ICON: Record<CheckStatus, string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };

/**
 * Escapes what Markdown would otherwise turn into formatting, links or HTML, and nothing else: an escape the renderer
 * does not need still shows up in the raw text (hover copies, screen readers, tests), as escaped parentheses once did.
 * Inline, that is emphasis, code, links, HTML, table pipes, strikethrough and entities; `#`, `+`, `-`, `>`, `=` and
 * `1.` only mean something at the start of a line, which is the start of the string here.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/^(\s*)([#+\-=]|\d+[.)])/, (_, sp: string, m: string) => `${sp}${m.replace(/[#+\-=.)]$/, '\\$&')}`);
}

function where(loc: Span & { label?: string }, label: string, opts: MarkdownOptions): string {
  const href = opts.link?.(loc);
  return href ? `[${escapeMarkdown(label)}](${href})` : `\`${label.replace(/`/g, "'")}\``;
}

function worst(checks: { status: CheckStatus }[]): CheckStatus {
  const order: CheckStatus[] = ['error', 'warning', 'info', 'ok'];
  return order.find((s) => checks.some((c) => c.status === s)) ?? 'ok';
}

export function certMarkdown(c: CertView, n: number | undefined, opts: MarkdownOptions): string {
  const lines: string[] = [];
  const title = `${ICON[worst(c.checks)]} ${n !== undefined ? `${n}. ` : ''}**${escapeMarkdown(c.commonName ?? c.subject)}** — ${c.role} (${where(c.location, c.location.label, opts)})`;
  lines.push(title);
  if (c.sans.length) lines.push(`- SANs: ${c.sans.map(escapeMarkdown).join(', ')}`);
  lines.push(`- Issuer: ${escapeMarkdown(c.issuerCommonName ?? c.issuer)}${c.selfSigned ? ' (self-signed)' : ''}`);
  lines.push(`- Valid: ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)} (${c.daysLeft >= 0 ? `${c.daysLeft} days left` : `expired ${-c.daysLeft} days ago`})`);
  lines.push(`- Key: ${keyLabel(c)} · Signature: ${escapeMarkdown(c.signatureAlgorithm)}${c.isCA ? ' · CA' : ''}`);
  lines.push(`- SHA-256: \`${c.sha256}\``);
  const notes = c.checks.filter((k) => k.status !== 'ok' || k.name.startsWith('host'));
  if (notes.length) lines.push(`- Checks: ${notes.map((k) => `${ICON[k.status]} ${escapeMarkdown(k.name)}: ${escapeMarkdown(k.detail)}`).join(' · ')}`);
  return lines.join('\n');
}

function keyMarkdown(k: KeyView, opts: MarkdownOptions): string {
  const what = k.status === 'ok' ? keyLabel(k) : k.status === 'encrypted' ? 'encrypted (Envoy cannot load it)' : 'cannot be parsed';
  const match = k.matchesCertificate === undefined ? '' : k.matchesCertificate ? ' · matches the certificate' : ' · **does not match** the certificate';
  const icon = k.status !== 'ok' || k.matchesCertificate === false ? ICON.error : ICON.ok;
  return `${icon} **Private key** (${where(k.location, k.location.label, opts)}): ${what}${match}`;
}

/** One line per certificate in the credential hover; the full view is the chain panel's. */
function certLine(c: CertView, n: number, opts: MarkdownOptions): string {
  const bad = c.checks.filter((k) => k.status === 'error' || k.status === 'warning').sort((a, b) => (a.status === 'error' ? 0 : 1) - (b.status === 'error' ? 0 : 1));
  const days = c.daysLeft >= 0 ? `${c.daysLeft} days left` : `expired ${-c.daysLeft} days ago`;
  const notes = bad.length ? ` — ${bad.map((k) => `${ICON[k.status]} ${escapeMarkdown(k.name)}: ${escapeMarkdown(k.detail)}`).join(' · ')}` : '';
  return `${n}. ${ICON[worst(c.checks)]} **${escapeMarkdown(c.commonName ?? c.subject)}** — ${escapeMarkdown(c.role)} · ${keyLabel(c)} · ${days} (${where(c.location, c.location.label, opts)})${notes}`;
}

/**
 * The credential hover: verdict first (status, then each failing check, errors first), then where it came from and
 * one line per certificate. Subjects, SANs and fingerprints are in the chain panel (`chainLink`).
 */
export function credentialMarkdown(v: CredentialView, opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  const st = opts.status ?? credentialStatus(v);
  out.push(`${ICON[st.status]} **${escapeMarkdown(v.name)}** · ${v.mode} · ${escapeMarkdown(st.headline.replace(/^\S+ /, ''))}`);
  if (st.problems.length) out.push(st.problems.map((p) => `- ${ICON[p.status]} ${escapeMarkdown(p.message)} \`${p.ruleId}\``).join('\n'));
  if (v.status === 'not-checked') {
    out.push(escapeMarkdown(v.note ?? 'Not checked.'));
    return out.join('\n\n');
  }
  out.push(`Secret read from namespace \`${v.workloadNamespace}\` (${v.namespaceReason})`);
  if (v.status === 'unresolved') {
    out.push(`Not found in the workspace. meshtls looked at: ${v.looked.map(escapeMarkdown).join('; ')}.`);
    return out.join('\n\n');
  }
  if (v.source) out.push(`${v.status === 'wrong-namespace' ? `${ICON.error} Found only in another namespace: ` : 'From '}${where(v.source.location, v.source.description, opts)}`);
  if (v.note) out.push(`ℹ️ ${escapeMarkdown(v.note)}`);
  if (v.files.length) out.push(v.files.map((f) => `- \`${f.key}\` ← ${where(f.location, f.label, opts)}${f.missing ? ` ${ICON.warning} it ${escapeMarkdown(f.missing)}` : ''}`).join('\n'));
  if (v.chain.length) out.push(`**Chain**\n\n${v.chain.map((c, i) => certLine(c, i + 1, opts)).join('\n')}`);
  if (v.key) out.push(keyMarkdown(v.key, opts));
  if (v.ca.length) {
    // In the walkthrough layout the client CA bundle repeats the chain's CAs: refer to them instead of repeating.
    const shown = v.ca.map((c, i) => {
      const same = v.chain.findIndex((x) => x.sha256 === c.sha256);
      const extra = c.checks.filter((k) => k.name === 'trust' && k.status !== 'ok');
      return same >= 0 && !extra.length ? `${i + 1}. ${ICON[worst(c.checks)]} **${escapeMarkdown(c.commonName ?? c.subject)}** — ${c.role}: chain certificate ${same + 1}` : certLine(c, i + 1, opts);
    });
    out.push(`**Client CA** (${where(v.ca[0].location, v.ca[0].location.label, opts)})\n\n${shown.join('\n')}`);
  }
  if (v.clients.length) out.push(`**Client certificates in the workspace**\n\n${v.clients.map((c, i) => certLine(c, i + 1, opts)).join('\n')}`);
  const passed = v.checks.filter((c) => c.status === 'ok').length;
  out.push(`**Checks**: ${ICON.ok} ${passed} of ${v.checks.length} passed${opts.chainLink ? ` · [Show chain](${opts.chainLink})` : ''}`);
  return out.join('\n\n');
}

export function materialMarkdown(m: MaterialView, opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  out.push(`**${escapeMarkdown(m.label)}** · ${m.blocks} PEM block${m.blocks === 1 ? '' : 's'}`);
  if (m.problems.length) out.push(m.problems.map((p) => `- ${ICON.error} ${escapeMarkdown(p)}`).join('\n'));
  m.certificates.forEach((c, i) => out.push(certMarkdown(c, m.certificates.length > 1 ? i + 1 : undefined, opts)));
  for (const k of m.keys) out.push(keyMarkdown(k, opts));
  return out.join('\n\n');
}
