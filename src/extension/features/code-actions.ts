import * as vscode from 'vscode';
import type { Finding } from '../../core/types';
import { fileIdOf, uriOf, type WorkspaceService, ISTIO_DOCUMENTS } from '../workspace-service';
import { docsUri } from './diagnostics';
import { credentialAt } from '../../core/inspect/views';
import { namesFor, treeOf } from '../commands/reissue-leaf';

/** Findings a new server certificate from the tree's own CA cures (expiry only when it is the server certificate's). */
const REISSUE_RULES = new Set(['cert-host-mismatch', 'cert-expired', 'cert-expiring-soon', 'key-cert-mismatch', 'cert-key-unsupported']);

const YAML = ISTIO_DOCUMENTS;

/**
 * Quick fixes: the certain fixes a rule attaches to its finding, plus for every meshtls diagnostic
 * "Disable for this line", "Disable for this file" and "Show documentation".
 */
export function registerCodeActions(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.openRuleDocs', (ruleId: string) => vscode.commands.executeCommand('markdown.showPreview', docsUri(context.extensionUri, ruleId))),
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

/** The certificate remedies: re-issue the server certificate from the existing CA, or generate a missing tree. */
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
  if (!REISSUE_RULES.has(f.ruleId)) return undefined;
  if ((f.ruleId.startsWith('cert-expir') || f.ruleId === 'cert-key-unsupported') && !f.message.startsWith('The server certificate')) return undefined;
  const tree = treeOf(ws, use);
  if (!tree) return undefined;
  const action = new vscode.CodeAction(`Re-issue the server certificate from the existing CA (${vscode.workspace.asRelativePath(uriOf(tree.intermediateCert))})…`, vscode.CodeActionKind.QuickFix);
  action.command = { command: 'meshtls.reissueServerCertificate', title: 'Re-issue', arguments: [{ span: use.span }] };
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
