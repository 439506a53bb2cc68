import * as vscode from 'vscode';
import * as path from 'node:path';
import { credentialUses, type CredentialUse } from '../core/index/credentials';
import { inspectCredential, type CredentialView, type CertView } from '../core/inspect/views';
import { renderSecret, type SecretFormat, type RenderedSecret } from '../core/kubectl/secret';
import type { RuleContext } from '../core/rules/types';
import type { Span } from '../core/types';
import type { ChainViewModel, CheckStatus } from './features/chain-view';
import { credentialStatus, type CredentialProblem, type CredentialStatus } from '../core/inspect/status';
import { CREDENTIAL_CHECKS } from '../core/rules/credentials';
import { uriOf, type WorkspaceService } from './workspace-service';

/** The rule context the inspect views need, built from the service's current state. */
export function contextOf(ws: WorkspaceService): RuleContext {
  return { index: ws.index, config: ws.config, now: ws.last.now };
}

export function usesOf(ws: WorkspaceService): CredentialUse[] {
  return credentialUses(ws.index, ws.config);
}

/** A link for Markdown hovers: the file with a line fragment, which VS Code's opener understands. */
export function linkTo(ws: WorkspaceService, loc: Span): string | undefined {
  if (!loc.fileId) return undefined;
  const line = ws.range(loc.fileId, loc.start, loc.start).start.line + 1;
  return uriOf(loc.fileId).with({ fragment: `L${line}` }).toString();
}

/** How many of the files a credential's source names are absent from the workspace. */
export function missingFiles(view: CredentialView): number {
  return view.files.filter((f) => f.missing).length;
}

/** True when generating a PKI tree is the useful next step: nothing found, or the named files are absent. */
export function needsPki(view: CredentialView): boolean {
  return view.status === 'unresolved' || (view.status === 'resolved' && missingFiles(view) > 0);
}

const DAY_WORDS = (d: number) => (d < 0 ? `expired ${-d} day${d === -1 ? '' : 's'} ago` : d === 0 ? 'expires today' : `expires in ${d} day${d === 1 ? '' : 's'}`);

const CREDENTIAL_RULE_IDS = new Set(CREDENTIAL_CHECKS.map((r) => r.id));

/**
 * The credential's status (core/inspect/status.ts) plus the findings of other rules on its own line, from the last
 * lint: the CodeLens, the view, the hover and the chain panel all show this one.
 */
export function statusOf(ws: WorkspaceService, use: CredentialUse, view: CredentialView): CredentialStatus {
  const extra: CredentialProblem[] = (ws.last.findings.get(use.span.fileId) ?? [])
    .filter((f) => !CREDENTIAL_RULE_IDS.has(f.ruleId) && f.start <= use.span.end && f.end >= use.span.start)
    .map((f) => ({ status: f.severity === 'hint' ? 'info' : f.severity, ruleId: f.ruleId, short: f.message.length > 60 ? `${f.message.slice(0, 57)}…` : f.message, message: f.message }));
  return credentialStatus(view, extra);
}

function certSection(c: CertView, chained: boolean): ChainViewModel['sections'][number] {
  const worst: CheckStatus = c.checks.some((k) => k.status === 'error') ? 'error' : c.checks.some((k) => k.status === 'warning') ? 'warning' : 'ok';
  return {
    heading: c.commonName ?? c.subject,
    role: c.role,
    status: worst,
    chained,
    rows: [
      ['Subject', c.subject],
      ['SANs', c.sans.length ? c.sans.join(', ') : '(none)'],
      ['Issuer', c.issuer],
      ['Valid', `${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)} (${DAY_WORDS(c.daysLeft)})`],
      ['Key', c.keyBits && c.keyAlgorithm === 'RSA' ? `RSA ${c.keyBits}` : c.keyAlgorithm],
      ['Signature', c.signatureAlgorithm],
      ['Extended key usage', c.extKeyUsage.length ? c.extKeyUsage.join(', ') : '(none)'],
      ['SHA-256', c.sha256],
      ['File', c.location.label],
    ],
    checks: c.checks.map((k) => ({ status: k.status, text: `${k.name}: ${k.detail}` })),
  };
}

/** The webview model for one credential: served chain (leaf first, each signed by the next), then client CA and clients. */
export function chainModel(view: CredentialView, status: CredentialStatus): ChainViewModel {
  const sections: ChainViewModel['sections'] = view.chain.map((c, i) => certSection(c, i > 0));
  for (const c of view.ca) sections.push({ ...certSection(c, false), role: 'client CA' });
  for (const c of view.clients) sections.push({ ...certSection(c, false), role: 'client certificate' });
  if (view.key) {
    sections.push({
      heading: 'Private key',
      role: view.key.location.label,
      status: view.key.status === 'ok' && view.key.matchesCertificate !== false ? 'ok' : 'error',
      rows: [
        ['Type', view.key.keyAlgorithm ? (view.key.keyBits && view.key.keyAlgorithm === 'RSA' ? `RSA ${view.key.keyBits}` : view.key.keyAlgorithm) : 'unknown'],
        ['State', view.key.status],
        ['Matches the certificate', view.key.matchesCertificate === undefined ? 'nothing to compare' : view.key.matchesCertificate ? 'yes' : 'NO'],
      ],
      checks: [],
    });
  }
  const checks = status.problems.map((p) => ({ status: p.status, text: `${p.ruleId}: ${p.message}` }));
  if (checks.length) sections.unshift({ heading: 'Problems', status: status.status, rows: [], checks });
  return {
    title: `${status.mark} ${view.name} · ${view.mode}`,
    subtitle: view.status === 'unresolved' ? `Not found. Looked at: ${view.looked.join('; ')}` : `Secret read from namespace ${view.workloadNamespace}`,
    empty: view.status === 'unresolved' ? `meshtls found no certificate for "${view.name}". Looked at: ${view.looked.join('; ')}.` : undefined,
    sources: view.source ? [{ label: `${view.source.kind}: ${view.source.description}`, fileId: view.source.location.fileId, offset: view.source.location.start }] : [],
    sections,
  };
}

export function inspectUse(ws: WorkspaceService, use: CredentialUse): CredentialView {
  return workspaceRelative(inspectCredential(use, contextOf(ws)), ws.folderPrefix());
}

/**
 * The view with every display string (labels, descriptions, messages) relative to the workspace folder, as the CLI
 * shows them: the extension's file ids are absolute paths. File ids themselves stay absolute (links need them).
 */
function workspaceRelative<T>(value: T, prefix: string | undefined): T {
  if (!prefix) return value;
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key === 'fileId' ? v : v.split(prefix).join('');
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** The credential use under the cursor, or one picked from a list when the cursor is elsewhere. */
export async function pickUse(ws: WorkspaceService, arg: unknown, placeHolder: string): Promise<CredentialUse | undefined> {
  const uses = usesOf(ws);
  // Arguments come from CodeLens (`{ span }`) and from the Credentials view (a node holding `use`).
  const given = arg && typeof arg === 'object' ? ('span' in arg ? (arg as { span: Span }) : 'use' in arg ? (arg as { use: { span: Span } }).use : undefined) : undefined;
  if (given) {
    const span = given.span;
    const hit = uses.find((u) => u.span.fileId === span.fileId && u.span.start === span.start);
    if (hit) return hit;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const id = editor.document.uri.scheme === 'file' ? editor.document.uri.fsPath.split(path.sep).join('/') : editor.document.uri.toString();
    const offset = editor.document.offsetAt(editor.selection.active);
    const here = uses.find((u) => u.span.fileId === id && u.span.start <= offset && offset <= u.span.end);
    if (here) return here;
  }
  if (uses.length === 0) {
    void vscode.window.showInformationMessage('meshtls: no Gateway in the workspace uses a credentialName.');
    return undefined;
  }
  if (uses.length === 1) return uses[0];
  const pick = await vscode.window.showQuickPick(
    uses.map((u) => ({ label: u.name, description: `Gateway ${u.gateway.namespace}/${u.gateway.name} · ${u.mode}`, detail: u.resolution.status === 'resolved' ? u.resolution.source?.description : `not found locally`, use: u })),
    { placeHolder },
  );
  return pick?.use;
}

export const FORMATS: { label: string; description: string; format: SecretFormat }[] = [
  { label: 'kubectl generic secret', description: 'key / cert / cacert — the secure-ingress walkthrough', format: 'kubectl' },
  { label: 'kubectl tls secret + <name>-cacert', description: 'tls.crt / tls.key, client CA in ca.crt', format: 'tls' },
  { label: 'Secret manifest (YAML)', description: 'base64 data, for GitOps repositories', format: 'yaml' },
  { label: 'PowerShell', description: 'the generic secret, quoted for PowerShell', format: 'powershell' },
  { label: 'Gateway API: kubectl tls secret + CA ConfigMap', description: "in the Gateway's namespace; ca.crt for spec.tls.frontend", format: 'gateway-api' },
  { label: 'Gateway API: Secret + ConfigMap manifests (YAML)', description: 'for GitOps repositories', format: 'gateway-api-yaml' },
];

/**
 * The kubectl command (or manifest) that creates a credential's Secret from the files meshtls resolved, with paths
 * relative to the workspace folder (where the user runs it). Secret manifests already are the source: apply them.
 */
export async function renderForUse(ws: WorkspaceService, use: CredentialUse, format: SecretFormat): Promise<RenderedSecret | string> {
  const r = use.resolution;
  if (r.status !== 'resolved' || !r.cert || !r.key) return `"${use.name}" is not resolved to certificate files in the workspace; generate a PKI tree first.`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const rel = (id: string) => (folder ? path.relative(folder, id).split(path.sep).join('/') : id);
  // A kustomize generator creates the Secret when its build is applied: apply the build, not a hand-made copy.
  if (r.source?.kind === 'kustomize') {
    const argv = ['kubectl', 'apply', '-k', rel(path.dirname(r.source.origin.fileId)) || '.'];
    return { format, commands: [{ argv, display: argv.join(' ') }], text: argv.join(' ') };
  }
  if (r.cert.inline || r.key.inline) {
    const argv = ['kubectl', 'apply', '-n', use.workloadNamespace, '-f', rel(r.source?.origin.fileId ?? r.cert.fileId)];
    return { format, commands: [{ argv, display: argv.join(' ') }], text: argv.join(' ') };
  }
  const files = { cert: rel(r.cert.fileId), key: rel(r.key.fileId), cacert: r.ca && !r.ca.inline ? rel(r.ca.fileId) : undefined };
  // A Gateway API listener's default form is its own: tls Secret plus the CA ConfigMap its caCertificateRef names.
  const fmt: SecretFormat = use.listener && format === 'kubectl' ? 'gateway-api' : format;
  const contents = fmt === 'yaml' || fmt === 'gateway-api-yaml' ? { cert: r.cert.bytes ?? new Uint8Array(), key: r.key.bytes ?? new Uint8Array(), cacert: r.ca?.bytes } : undefined;
  const caConfigMap = use.listener && r.caSource?.object === 'ConfigMap' ? r.caSource.name : undefined;
  // The CA ConfigMap lives where the Gateway reads it, which may differ from a granted certificate's namespace.
  const caNamespace = use.listener && r.caSource?.object === 'ConfigMap' ? r.caSource.namespace ?? use.gateway.namespace : undefined;
  return renderSecret({ name: use.name, namespace: use.workloadNamespace, files, format: fmt, contents, caConfigMap, caNamespace });
}
