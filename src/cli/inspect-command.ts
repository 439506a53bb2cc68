import * as path from 'node:path';
import { parseArgs, flag, oneOf, UsageError } from './args';
import { loadWorkspace, fileId, type LoadedWorkspace } from '../node/workspace';
import { readCapped } from '../node/walk';
import { decodeYamlBytes } from '../core/yaml/decode';
import { cutValue, escapeControl, mapStrings, redactKeyMaterial } from '../core/display';
import type { Io } from './lint-command';
import { credentialUses } from '../core/index/credentials';
import { inspectCredential, inspectMaterial, keyLabel, type CertView, type CredentialView, type KeyView, type MaterialView } from '../core/inspect/views';
import { credentialIndex, SCRIPT } from '../core/index/credentials';

export const INSPECT_HELP = `Usage: meshtls inspect FILE... [options]

Shows the certificates and keys in PEM/DER files, in Secret manifests, and behind every credentialName of the
Gateways in a YAML file (resolved against the files in the same folder). Private keys are described, never printed.

Options:
  --format text|json   output format (default: text)
  --now ISO-DATE       evaluate validity at this time (default: now)
  --config FILE        use this .meshtls.yaml instead of searching for one
  -h, --help           show this help

Exit status: 0 when every file could be read, 2 otherwise.
`;

type Entry =
  | { file: string; kind: 'material'; material: MaterialView }
  | { file: string; kind: 'credential'; gateway: string; credential: CredentialView }
  | { file: string; kind: 'error'; error: string };

const ICON = { ok: '✔', info: 'i', warning: '!', error: '✖' } as const;

function certText(c: CertView, indent: string): string {
  const l = [
    `${indent}${c.role}: ${c.commonName ?? c.subject}  (${c.location.label})`,
    `${indent}  subject     ${c.subject}`,
    `${indent}  issuer      ${c.issuer}${c.selfSigned ? ' (self-signed)' : ''}`,
    ...(c.sans.length ? [`${indent}  SANs        ${c.sans.join(', ')}`] : []),
    `${indent}  valid       ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)} (${c.daysLeft >= 0 ? `${c.daysLeft} days left` : `expired ${-c.daysLeft} days ago`})`,
    `${indent}  key         ${keyLabel(c)}${c.isCA ? ', CA' : ''}`,
    `${indent}  signature   ${c.signatureAlgorithm}`,
    ...(c.extKeyUsage.length ? [`${indent}  ext. usage  ${c.extKeyUsage.join(', ')}`] : []),
    `${indent}  serial      ${c.serialNumber}`,
    `${indent}  SHA-256     ${c.sha256}`,
  ];
  for (const k of c.checks) l.push(`${indent}  ${ICON[k.status]} ${k.name}: ${k.detail}`);
  return l.join('\n');
}

function keyText(k: KeyView, indent: string): string {
  const what = k.status === 'ok' ? keyLabel(k) : k.status === 'encrypted' ? 'encrypted (Envoy cannot load it)' : 'cannot be parsed';
  const match = k.matchesCertificate === undefined ? '' : k.matchesCertificate ? ', matches the certificate' : ', DOES NOT match the certificate';
  return `${indent}private key: ${what}${match}  (${k.location.label})`;
}

function entryText(e: Entry): string {
  if (e.kind === 'error') return `${e.file}: ${e.error}\n`;
  if (e.kind === 'material') {
    const m = e.material;
    const lines = [`${e.file}: ${m.blocks} PEM block${m.blocks === 1 ? '' : 's'}`];
    for (const p of m.problems) lines.push(`  ✖ ${p}`);
    for (const c of m.certificates) lines.push(certText(c, '  '));
    for (const k of m.keys) lines.push(keyText(k, '  '));
    return lines.join('\n') + '\n';
  }
  const v = e.credential;
  const lines = [`${e.file}: Gateway ${e.gateway}, credential "${v.name}" (${v.mode}), read from namespace "${v.workloadNamespace}"`];
  if (v.status === 'not-checked') lines.push(`  ${v.note ?? 'not checked'}`);
  else if (v.status === 'unresolved') lines.push(`  ! not found; looked at ${v.looked.join('; ')}`);
  else {
    if (v.source) lines.push(`  ${v.status === 'wrong-namespace' ? '✖ only in another namespace: ' : 'from '}${v.source.description}`);
    if (v.note) lines.push(`  ${v.note}`);
    for (const f of v.files) lines.push(`    ${f.key.padEnd(8)} ← ${f.label}${f.missing ? `  (! it ${f.missing})` : ''}`);
    for (const c of v.chain) lines.push(certText(c, '  '));
    if (v.key) lines.push(keyText(v.key, '  '));
    for (const c of v.ca) lines.push(certText(c, '  '));
    for (const c of v.clients) lines.push(certText(c, '  '));
    for (const c of v.checks) {
      if (c.status === 'ok') continue;
      for (const m of c.messages) lines.push(`  ${ICON[c.status]} ${c.ruleId}: ${m}`);
    }
    const passed = v.checks.filter((c) => c.status === 'ok').length;
    lines.push(`  ${passed} of ${v.checks.length} checks passed`);
  }
  return lines.join('\n') + '\n';
}

const KUSTOMIZE_OR_CHART = /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.ya?ml)$/;
const TREE_FILE = /(^|\/)[1-4]_(root|intermediate|application|client)\//;

/**
 * Loads what resolving one YAML file's credentials needs from the folder below it, not the whole folder (a 9-line
 * Gateway beside a big repository took 11 s and 2 GB): the file itself, and then YAML files and scripts that name one
 * of its credentials (Secrets, kubectl lines, cert-manager Certificates), ReferenceGrants, kustomizations and Helm
 * charts (they place resources in namespaces); then the certificate and key files those name, PKI trees and folders
 * named after a credential.
 */
async function loadForInspect(abs: string, display: string, cwd: string, configPath: string | undefined): Promise<LoadedWorkspace> {
  const alone = await loadWorkspace([abs], { cwd, configPath });
  const names = [...new Set(credentialUses(alone.index, alone.config).filter((u) => u.span.fileId === display).map((u) => u.name))].filter(Boolean);
  if (names.length === 0) return alone;
  const dir = [path.dirname(abs)];
  const ws = await loadWorkspace(dir, {
    cwd,
    configPath,
    select: {
      file: (f) => f.kind === 'yaml' || SCRIPT.test(f.id),
      content: (f, bytes) => f.id === display || KUSTOMIZE_OR_CHART.test(f.id) || bytes.includes('ReferenceGrant') || names.some((n) => bytes.includes(n)),
    },
  });
  const texts = [...ws.texts.values()];
  const material = await loadWorkspace(dir, {
    cwd,
    configPath,
    select: {
      file: (f) => {
        if (f.kind !== 'material' || SCRIPT.test(f.id)) return false;
        const segments = f.id.split('/');
        const base = segments[segments.length - 1];
        return TREE_FILE.test(f.id) || segments.slice(0, -1).some((s) => names.includes(s)) || texts.some((t) => t.includes(base));
      },
    },
  });
  for (const [id, f] of material.index.otherFiles) ws.index.setOtherFile(id, f.bytes);
  for (const [id, t] of material.texts) ws.texts.set(id, t);
  return ws;
}

export async function inspectCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { booleans: ['help', 'h'], values: ['format', 'now', 'config'] });
  if (args.flags.has('help') || args.flags.has('h')) {
    io.out(INSPECT_HELP);
    return 0;
  }
  const format = oneOf(flag(args, 'format'), ['text', 'json'] as const, 'format', 'text');
  const nowText = flag(args, 'now');
  const now = nowText ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be a date such as 2026-01-31 (got "${nowText}").`);
  if (!args.positionals.length) throw new UsageError('Name at least one file to inspect.');
  const entries: Entry[] = [];
  let failed = false;
  for (const input of args.positionals) {
    const abs = path.resolve(io.cwd, input);
    const display = fileId(abs, io.cwd);
    try {
      const read = await readCapped(abs);
      if ('skipped' in read) throw new Error(`${read.skipped}; skipped`);
      if (/\.ya?ml$/i.test(abs)) {
        // Resolve credentials against the file's folder, where its kubectl scripts and PKI trees usually live.
        const ws = await loadForInspect(abs, display, io.cwd, flag(args, 'config'));
        if (!ws.index.yamlFiles.has(display)) ws.index.setYamlFile(display, decodeYamlBytes(read.bytes) ?? '');
        const ctx = { index: ws.index, config: ws.config, now };
        for (const use of credentialUses(ws.index, ws.config)) {
          if (use.span.fileId !== display) continue;
          entries.push({ file: display, kind: 'credential', gateway: `${use.gateway.namespace}/${use.gateway.name}`, credential: inspectCredential(use, ctx) });
        }
        for (const s of credentialIndex(ws.index, ws.config).sources) {
          if (s.kind !== 'secret' || s.origin.fileId !== display) continue;
          for (const r of s.entries.values()) {
            if (!r.bytes) continue;
            entries.push({ file: display, kind: 'material', material: inspectMaterial(r.bytes, { label: r.label, fileId: display, inline: r.mention, now, expiryWarningDays: ws.config.expiryWarningDays }) });
          }
        }
      } else {
        const bytes = read.bytes;
        entries.push({ file: display, kind: 'material', material: inspectMaterial(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { label: display, fileId: display, now, expiryWarningDays: 30 }) });
      }
    } catch (err) {
      // A bad --config is the command's problem, not this file's.
      if ((err as Error).name === 'InputError') throw err;
      failed = true;
      const code = (err as NodeJS.ErrnoException).code;
      entries.push({ file: display, kind: 'error', error: code === 'ENOENT' ? 'no such file or directory' : code ? `unreadable (${code})` : (err as Error).message });
    }
  }
  // Names, subjects and SANs come from the files inspected: no key material, no unbounded value, and in text no
  // control characters reach the terminal.
  const safe = (s: string) => cutValue(redactKeyMaterial(s), 300);
  if (format === 'json') io.out(JSON.stringify({ files: mapStrings(entries, safe) }, null, 2) + '\n');
  else io.out(mapStrings(entries, (s) => escapeControl(safe(s))).map(entryText).join('\n'));
  return failed ? 2 : 0;
}
