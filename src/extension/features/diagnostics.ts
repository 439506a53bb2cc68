import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/types';
import { ENGINE_RULES } from '../../core/rules/engine-rules';
import { uriOf, type WorkspaceService } from '../workspace-service';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The rule's page, shipped inside the extension so it opens offline. */
export function docsUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`);
}

/** Publishes every lint result as diagnostics, for all files of the workspace (not only open ones). */
export function registerDiagnostics(context: vscode.ExtensionContext, ws: WorkspaceService): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('meshtls');
  context.subscriptions.push(collection);

  const toDiagnostic = (f: Finding): vscode.Diagnostic => {
    const d = new vscode.Diagnostic(ws.range(f.fileId, f.start, f.end), ws.displayText(f.message), SEVERITY[f.severity]);
    d.source = 'meshtls';
    d.code = { value: f.ruleId, target: docsUri(context.extensionUri, f.ruleId) };
    if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(ws.location(r.fileId, r.start, r.end), ws.displayText(r.message)));
    return d;
  };

  let published = new Set<string>();
  context.subscriptions.push(
    ws.onDidLint(({ findings }) => {
      const now = new Set<string>();
      const byFile = new Map<string, Finding[]>();
      for (const [id, list] of findings) byFile.set(id, [...list]);
      for (const p of ws.configProblems) {
        const list = byFile.get(p.fileId) ?? [];
        list.push(ENGINE_RULES.configInvalid.make(p.fileId, p.message, p.offset));
        byFile.set(p.fileId, list);
      }
      for (const [id, list] of byFile) {
        if (list.length === 0) continue;
        now.add(id);
        collection.set(uriOf(id), list.map(toDiagnostic));
      }
      for (const id of published) if (!now.has(id)) collection.delete(uriOf(id));
      published = now;
    }),
  );
  return collection;
}
