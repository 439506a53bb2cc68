import type { Span } from '../types';
import { keyLabel, type CertView, type CheckStatus, type CredentialView, type KeyView, type MaterialView } from './views';

/**
 * Markdown for the editor hover. Links come from the adapter (`link`), since only it knows how to turn a file id and
 * offset into something clickable; without one, locations render as code.
 */
export interface MarkdownOptions {
  link?: (location: Span) => string | undefined;
}

const ICON: Record<CheckStatus, string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };

export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&');
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

export function credentialMarkdown(v: CredentialView, opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  const head = `**${escapeMarkdown(v.name)}** · ${v.mode} · Secret read from namespace \`${v.workloadNamespace}\` (${v.namespaceReason})`;
  out.push(head);
  if (v.status === 'not-checked') {
    out.push(escapeMarkdown(v.note ?? 'Not checked.'));
    return out.join('\n\n');
  }
  if (v.status === 'unresolved') {
    out.push(`${ICON.warning} Not found in the workspace. meshtls looked at: ${v.looked.map(escapeMarkdown).join('; ')}.`);
    return out.join('\n\n');
  }
  if (v.source) out.push(`${v.status === 'wrong-namespace' ? `${ICON.error} Found only in another namespace: ` : 'From '}${where(v.source.location, v.source.description, opts)}`);
  if (v.note) out.push(`ℹ️ ${escapeMarkdown(v.note)}`);
  if (v.files.length) out.push(v.files.map((f) => `- \`${f.key}\` ← ${where(f.location, f.label, opts)}${f.missing ? ` ${ICON.warning} it ${escapeMarkdown(f.missing)}` : ''}`).join('\n'));
  if (v.chain.length) out.push(`**Chain**\n\n${v.chain.map((c, i) => certMarkdown(c, i + 1, opts)).join('\n\n')}`);
  if (v.key) out.push(keyMarkdown(v.key, opts));
  if (v.ca.length) {
    // In the walkthrough layout the client CA bundle repeats the chain's CAs: refer to them instead of repeating.
    const shown = v.ca.map((c, i) => {
      const same = v.chain.findIndex((x) => x.sha256 === c.sha256);
      return same >= 0 ? `${i + 1}. **${escapeMarkdown(c.commonName ?? c.subject)}** — ${c.role}: chain certificate ${same + 1}` : certMarkdown(c, i + 1, opts);
    });
    out.push(`**Client CA** (${where(v.ca[0].location, v.ca[0].location.label, opts)})\n\n${shown.join('\n\n')}`);
  }
  if (v.clients.length) out.push(`**Client certificates in the workspace**\n\n${v.clients.map((c) => certMarkdown(c, undefined, opts)).join('\n\n')}`);
  const failed = v.checks.filter((c) => c.status !== 'ok');
  const passed = v.checks.length - failed.length;
  const lines = failed.flatMap((c) => c.messages.map((m) => `- ${ICON[c.status]} \`${c.ruleId}\`: ${escapeMarkdown(m)}`));
  out.push(`**Checks**: ${ICON.ok} ${passed} of ${v.checks.length} passed${lines.length ? `\n\n${lines.join('\n')}` : ''}`);
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
