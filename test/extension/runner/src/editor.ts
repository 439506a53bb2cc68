// Helpers the in-editor suites share: locating fixture files, opening them, and waiting for diagnostics by event.
import * as vscode from 'vscode';
import { REPO_ENV } from './results';

export const MESHTLS_ID = 'meshtls.meshtls';

/** A file in the (temporary copy of the) fixture workspace the editor was opened on. */
export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The editor has no workspace folder open; the harness opens the fixture workspace.');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** A file of the repository itself (e.g. examples/), opened read-only by the suites. */
export function repoFile(relative: string): vscode.Uri {
  const repo = process.env[REPO_ENV];
  if (!repo) throw new Error(`${REPO_ENV} is not set; the harness passes the repository root in it.`);
  return vscode.Uri.joinPath(vscode.Uri.file(repo), ...relative.split('/'));
}

/** The docs page of a rule as packaged in the installed meshtls extension (what Diagnostic.code links to). */
export function docsPage(ruleId: string): vscode.Uri {
  const meshtls = vscode.extensions.getExtension(MESHTLS_ID);
  if (!meshtls) throw new Error(`${MESHTLS_ID} is not installed.`);
  return vscode.Uri.joinPath(meshtls.extensionUri, 'docs', 'rules', `${ruleId}.md`);
}

export async function openFile(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function closeAllEditors(): Promise<void> {
  // Reverting first keeps the close from asking whether to save a document a test edited.
  for (const doc of vscode.workspace.textDocuments) {
    // Only what the suites edit: the workbench keeps documents of its own (the user settings file) that it may be
    // saving or showing at this very moment, and refuses to show them here.
    if (doc.isDirty && vscode.workspace.getWorkspaceFolder(doc.uri)) {
      const revert = async () => {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      };
      try {
        await revert();
      } catch {
        // The workbench can open an editor of its own at the same moment (right after start-up) and refuse this one
        // ("another editor opened in the meantime"): once more, after it has.
        await new Promise((r) => setTimeout(r, 1000));
        await revert();
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function meshtlsDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'meshtls');
}

/**
 * Resolves with the meshtls diagnostics of `uri` as soon as `until` accepts them — checked now and on every
 * onDidChangeDiagnostics event for that file — and rejects after `timeoutMs` with what was there last.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  until: (diagnostics: vscode.Diagnostic[]) => boolean,
  { timeoutMs = 20_000, what = 'the expected diagnostics' }: { timeoutMs?: number; what?: string } = {},
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let done = false;
    const finish = (result: vscode.Diagnostic[] | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subscription.dispose();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const check = () => {
      const current = meshtlsDiagnostics(uri);
      if (until(current)) finish(current);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    const timer = setTimeout(() => {
      const last = meshtlsDiagnostics(uri).map(describeDiagnostic);
      finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} on ${uri.fsPath}; meshtls diagnostics there: ${JSON.stringify(last)}`));
    }, timeoutMs);
    check();
  });
}

/** A plain, comparable view of a diagnostic: what the user sees, with 0-based positions. */
export function describeDiagnostic(d: vscode.Diagnostic) {
  const code = typeof d.code === 'object' ? { value: d.code.value, target: d.code.target.toString() } : d.code;
  return {
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    severity: vscode.DiagnosticSeverity[d.severity],
    source: d.source,
    code,
    message: d.message,
  };
}

/** The position `delta` characters into the first occurrence of `needle` in the document; fails when it is absent. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found in ${doc.uri.fsPath}`);
  return doc.positionAt(at + delta);
}

/** The Markdown text of every hover at a position, joined (a hover may have several content parts). */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.map((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n'));
}

/** A 0-based [startLine, startChar, endLine, endChar] view of a range, for deepEqual. */
export function rangeOf(r: vscode.Range): [number, number, number, number] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

/** Resolves once meshtls's diagnostics over the whole workspace satisfy `until` (checked now and on every change). */
export function waitForAllDiagnostics(
  until: (all: [vscode.Uri, vscode.Diagnostic[]][]) => boolean,
  { timeoutMs = 20_000, what = 'the expected diagnostics' }: { timeoutMs?: number; what?: string } = {},
): Promise<[vscode.Uri, vscode.Diagnostic[]][]> {
  const current = () => vscode.languages.getDiagnostics().map(([u, ds]) => [u, ds.filter((d) => d.source === 'meshtls')] as [vscode.Uri, vscode.Diagnostic[]]).filter(([, ds]) => ds.length > 0);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (r: [vscode.Uri, vscode.Diagnostic[]][] | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub.dispose();
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
    const check = () => {
      const c = current();
      if (until(c)) finish(c);
    };
    const sub = vscode.languages.onDidChangeDiagnostics(check);
    const timer = setTimeout(() => {
      const last = current().map(([u, ds]) => [u.fsPath, ds.map(describeDiagnostic)]);
      finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; meshtls diagnostics: ${JSON.stringify(last)}`));
    }, timeoutMs);
    check();
  });
}
