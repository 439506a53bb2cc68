import * as vscode from 'vscode';
import { WorkspaceIndex } from '../../core/index/workspace-index';
import { Linter } from '../../core/lint';
import { DEFAULT_CONFIG } from '../../core/config';
import type { Finding, Severity } from '../../core/types';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const DOCS_BASE = 'https://github.com/meshtls/meshtls/blob/main/docs/rules/';

/** The core's file id for a document: its path with '/' separators (see src/core/paths.ts). */
export function fileIdOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath.split('\\').join('/') : uri.toString();
}

function isYaml(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.fileName);
}

/** Lints open YAML documents with the core and publishes the findings as diagnostics. */
export function registerDiagnostics(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const collection = vscode.languages.createDiagnosticCollection('meshtls');
  const index = new WorkspaceIndex();
  const linter = new Linter({ config: DEFAULT_CONFIG, now: new Date() });
  const docs = new Map<string, vscode.TextDocument>();
  context.subscriptions.push(collection);

  const toDiagnostic = (doc: vscode.TextDocument, f: Finding): vscode.Diagnostic => {
    const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)), f.message, SEVERITY[f.severity]);
    d.source = 'meshtls';
    d.code = { value: f.ruleId, target: vscode.Uri.parse(`${DOCS_BASE}${f.ruleId}.md`) };
    if (f.related?.length) {
      d.relatedInformation = f.related.flatMap((r) => {
        const other = docs.get(r.fileId);
        return other ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(other.uri, new vscode.Range(other.positionAt(r.start), other.positionAt(r.end))), r.message)] : [];
      });
    }
    return d;
  };

  const relint = () => {
    const started = performance.now();
    const results = linter.lint(index, new Date());
    for (const [id, findings] of results) {
      const doc = docs.get(id);
      if (doc) collection.set(doc.uri, findings.map((f) => toDiagnostic(doc, f)));
    }
    log.trace(`linted ${results.size} files in ${(performance.now() - started).toFixed(1)} ms`);
  };

  const update = (doc: vscode.TextDocument) => {
    if (!isYaml(doc) || doc.uri.scheme === 'git') return;
    const id = fileIdOf(doc.uri);
    docs.set(id, doc);
    index.setYamlFile(id, doc.getText());
    relint();
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => update(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const id = fileIdOf(doc.uri);
      if (docs.delete(id)) {
        index.removeFile(id);
        collection.delete(doc.uri);
        relint();
      }
    }),
  );
  vscode.workspace.textDocuments.forEach(update);
}
