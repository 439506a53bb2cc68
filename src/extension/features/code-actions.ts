import * as vscode from 'vscode';
import type { Finding } from '../../core/types';
import { fileIdOf, uriOf, type WorkspaceService, ISTIO_DOCUMENTS } from '../workspace-service';
import { credentialAt } from '../../core/inspect/views';
import { namesFor, treeOf } from '../commands/reissue-leaf';
import type { CredentialUse } from '../../core/index/credentials';
import * as path from 'node:path';

/** Findings a new server certificate from the tree's own CA cures (expiry only when it is the server certificate's). */
const REISSUE_RULES = new Set(['cert-host-mismatch', 'cert-expired', 'cert-expiring-soon', 'key-cert-mismatch', 'cert-key-unsupported']);

const YAML = ISTIO_DOCUMENTS;

/**
 * Quick fixes: the certain fixes a rule attaches to its finding, plus for every meshtls diagnostic
 * "Disable for this line", "Disable for this file" and "Show documentation".
 */
export function registerCodeActions(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      YAML,
      {
        provideCodeActions(doc, range, ctx) {
          const id = fileIdOf(doc.uri);
          const findings = ws.last.findings.get(id) ?? [];
          const actions: vscode.CodeAction[] = [];
          const seenRules = new Set<string>();
          for (const diag of ctx.diagnostics) {
            if (diag.source !== 'meshtls' || typeof diag.code !== 'object') continue;
            const ruleId = String(diag.code.value);
            const f = findings.find((x) => x.ruleId === ruleId && doc.positionAt(x.start).isEqual(diag.range.start) && ws.displayText(x.message) === diag.message);
            for (const fix of f?.fixes ?? []) actions.push(toAction(ws, fix.title, fix.edits, diag, fix.preferred ?? (f?.fixes?.length === 1)));
            const remedy = f && remedyFor(ws, id, f, diag);
            if (remedy) actions.push(remedy);
            if (seenRules.has(ruleId)) continue;
            seenRules.add(ruleId);
            actions.push(disableLine(doc, diag, ruleId), disableFile(ws, doc, diag, ruleId));
            const docs = new vscode.CodeAction(`Show documentation for ${ruleId}`, vscode.CodeActionKind.QuickFix);
            docs.command = { command: 'meshtls.openRuleDocs', title: 'Show documentation', arguments: [ruleId] };
            docs.diagnostics = [diag];
            actions.push(docs);
          }
          void range;
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}

/**
 * The certificate remedies: re-issue the server certificate from the existing CA, re-issue a client certificate the
 * tree's own CA bundle no longer verifies, add the tree's CA chain to a kubectl line that lacks the client CA, or
 * generate a missing tree.
 */
function remedyFor(ws: WorkspaceService, fileId: string, f: Finding, diag: vscode.Diagnostic): vscode.CodeAction | undefined {
  const use = credentialAt(ws.index, ws.config, fileId, f.start);
  if (!use) return undefined;
  if (f.ruleId === 'credential-unresolved') {
    const hosts = namesFor(use, undefined).filter((h) => !h.includes('*'));
    const action = new vscode.CodeAction(`Generate a PKI tree for ${hosts.join(', ')}…`, vscode.CodeActionKind.QuickFix);
    action.command = { command: 'meshtls.generatePkiTree', title: 'Generate PKI Tree…', arguments: [{ hosts }] };
    action.diagnostics = [diag];
    return action;
  }
  if (f.ruleId === 'mutual-without-ca') return addCaToKubectl(ws, use, diag);
  if (f.ruleId === 'client-ca-mismatch') return reissueClient(ws, use, f, diag);
  if (!REISSUE_RULES.has(f.ruleId)) return undefined;
  if ((f.ruleId.startsWith('cert-expir') || f.ruleId === 'cert-key-unsupported') && !f.message.startsWith('The server certificate')) return undefined;
  const tree = treeOf(ws, use);
  if (!tree) return undefined;
  const action = new vscode.CodeAction(`Re-issue the server certificate from the existing CA (${vscode.workspace.asRelativePath(uriOf(tree.intermediateCert))})…`, vscode.CodeActionKind.QuickFix);
  action.command = { command: 'meshtls.reissueServerCertificate', title: 'Re-issue', arguments: [{ span: use.span }] };
  action.diagnostics = [diag];
  return action;
}

/**
 * mutual-without-ca on a `kubectl create secret generic` line: the credential's tree has a CA chain on disk, so the
 * remedy appends `--from-file=cacert=<chain>` to the command, as the walkthrough's own lines do.
 */
function addCaToKubectl(ws: WorkspaceService, use: CredentialUse, diag: vscode.Diagnostic): vscode.CodeAction | undefined {
  const source = use.resolution.source;
  const tree = treeOf(ws, use);
  if (!source || source.kind !== 'kubectl' || source.secretType !== 'Opaque' || !tree || !ws.index.otherFiles.has(tree.caChain)) return undefined;
  const script = source.origin.fileId;
  const text = ws.text(script);
  if (text === undefined) return undefined;
  const caPath = path.posix.relative(path.posix.dirname(script), tree.caChain);
  // Continue the command on a new line indented like its last --from-file argument.
  const last = [...source.entries.values()].filter((e) => e.mention.fileId === script).sort((a, b) => b.mention.start - a.mention.start)[0];
  const lineStart = text.lastIndexOf('\n', (last?.mention.start ?? source.origin.start) - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0] || '  ';
  const action = new vscode.CodeAction(`Add the client CA ${caPath} to the kubectl line (--from-file=cacert)`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(uriOf(script), ws.range(script, source.origin.end, source.origin.end).start, ` \\\n${indent}--from-file=cacert=${caPath}`);
  action.diagnostics = [diag];
  return action;
}

/**
 * client-ca-mismatch for a client certificate of the credential's own tree while the bundle is that tree's chain:
 * the client was signed by another CA (a regenerated one, say), so a client certificate from the tree's intermediate
 * is what the gateway will accept.
 */
function reissueClient(ws: WorkspaceService, use: CredentialUse, f: Finding, diag: vscode.Diagnostic): vscode.CodeAction | undefined {
  const tree = treeOf(ws, use);
  if (!tree || use.resolution.ca?.fileId !== tree.caChain) return undefined;
  const client = tree.clients.find((c) => f.related?.some((r) => r.fileId === c.cert));
  if (!client) return undefined;
  const action = new vscode.CodeAction(`Re-issue the client certificate ${vscode.workspace.asRelativePath(uriOf(client.cert))} from the existing CA…`, vscode.CodeActionKind.QuickFix);
  action.command = { command: 'meshtls.reissueClientCertificate', title: 'Re-issue', arguments: [{ span: use.span, clientCert: client.cert }] };
  action.diagnostics = [diag];
  return action;
}

function toAction(ws: WorkspaceService, title: string, edits: NonNullable<Finding['fixes']>[number]['edits'], diag: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uriOf(e.fileId), ws.range(e.fileId, e.start, e.end), e.newText);
  action.edit = edit;
  action.diagnostics = [diag];
  action.isPreferred = preferred;
  return action;
}

function disableLine(doc: vscode.TextDocument, diag: vscode.Diagnostic, ruleId: string): vscode.CodeAction {
  const line = doc.lineAt(diag.range.start.line);
  const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex).replace(/-(\s*)$/, ' $1');
  const action = new vscode.CodeAction(`Disable ${ruleId} for this line`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(doc.uri, line.range.start, `${indent}# meshtls-disable-next-line ${ruleId}\n`);
  action.diagnostics = [diag];
  return action;
}

function disableFile(ws: WorkspaceService, doc: vscode.TextDocument, diag: vscode.Diagnostic, ruleId: string): vscode.CodeAction {
  const action = new vscode.CodeAction(`Disable ${ruleId} for this file`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  // In a script or page the first line is a shebang or a heading: the comment goes at the top of the embedded YAML
  // document that holds the finding instead, where it is a YAML comment that kubectl ignores.
  const entry = ws.index.yamlFiles.get(fileIdOf(doc.uri));
  const offset = doc.offsetAt(diag.range.start);
  const holder = entry?.host ? entry.docs.filter((d) => d.base <= offset).pop() : undefined;
  if (holder) {
    const line = doc.lineAt(doc.positionAt(holder.base).line);
    const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
    action.edit.insert(doc.uri, line.range.start, `${indent}# meshtls-disable ${ruleId}\n`);
  } else {
    action.edit.insert(doc.uri, new vscode.Position(0, 0), `# meshtls-disable ${ruleId}\n`);
  }
  action.diagnostics = [diag];
  return action;
}
