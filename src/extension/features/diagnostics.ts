import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/types';
import { ENGINE_RULES } from '../../core/rules/engine-rules';
import { uriOf, type WorkspaceService } from '../workspace-service';
import { docsTarget } from './rule-docs';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Files that hold PEM (or DER) material, as opposed to the script or manifest line that names them. */
const PEM_FILE = /\.(pem|crt|cer|cert|key|der)$/i;

/** Publishes every lint result as diagnostics, for all files of the workspace (not only open ones). */
export function registerDiagnostics(context: vscode.ExtensionContext, ws: WorkspaceService): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('meshtls');
  context.subscriptions.push(collection);

  const toDiagnostic = (f: Finding): vscode.Diagnostic => {
    const d = new vscode.Diagnostic(ws.range(f.fileId, f.start, f.end), ws.displayText(f.message), SEVERITY[f.severity]);
    d.source = 'meshtls';
    d.code = { value: f.ruleId, target: docsTarget(f.ruleId) };
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
      const diagnostics = new Map<string, vscode.Diagnostic[]>();
      for (const [id, list] of byFile) if (list.length) diagnostics.set(id, list.map(toDiagnostic));
      // A malformed PEM file (blocks glued without a newline, a truncated block) is a finding on the credential that
      // loads it; the file itself gets the squiggle too, on the spot, pointing back at the credential.
      const mirrored = new Set<string>();
      for (const list of byFile.values()) {
        for (const f of list) {
          if (f.ruleId !== 'pem-malformed') continue;
          for (const r of f.related ?? []) {
            const key = `${r.fileId}\0${r.start}\0${r.end}\0${r.message}`;
            if (r.fileId === f.fileId || !PEM_FILE.test(r.fileId) || mirrored.has(key)) continue;
            mirrored.add(key);
            const d = new vscode.Diagnostic(ws.range(r.fileId, r.start, r.end), `${ws.displayText(r.message).replace(/^./, (c) => c.toUpperCase())}.`, SEVERITY[f.severity]);
            d.source = 'meshtls';
            d.code = { value: f.ruleId, target: docsTarget(f.ruleId) };
            d.relatedInformation = [new vscode.DiagnosticRelatedInformation(ws.location(f.fileId, f.start, f.end), ws.displayText(f.message))];
            const into = diagnostics.get(r.fileId) ?? [];
            into.push(d);
            diagnostics.set(r.fileId, into);
          }
        }
      }
      for (const [id, list] of diagnostics) {
        now.add(id);
        collection.set(uriOf(id), list);
      }
      for (const id of published) if (!now.has(id)) collection.delete(uriOf(id));
      published = now;
    }),
  );
  return collection;
}
