// Diagnostics as the real extension host publishes them, on the foocorp-broken fixture workspace.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, describeDiagnostic, docsPage, meshtlsDiagnostics, openFile, repoFile, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

const BROKEN_MESSAGE = 'Server "https-inventory" uses protocol HTTPS but has no tls settings.';

describe('diagnostics', () => {
  // Resolved in before(), not at import time, so a missing workspace fails this suite instead of the whole bundle.
  let broken: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    broken = workspaceFile('gateway.yaml');
    await openFile(broken);
    await waitForDiagnostics(broken, (ds) => ds.length > 0, { what: 'a diagnostic on the broken FooCorp gateway' });
  });

  after(closeAllEditors);

  it('reports the server without tls on the broken FooCorp gateway, and nothing else', () => {
    assert.deepEqual(meshtlsDiagnostics(broken).map(describeDiagnostic), [
      {
        // `HTTPS` of the https-inventory server: line 24, columns 19-24 in the editor's 1-based terms.
        range: [23, 18, 23, 23],
        severity: 'Error',
        source: 'meshtls',
        // The code links to the rule's page as a read-only document that opens rendered (see the next test).
        code: { value: 'gateway-tls-required', target: 'meshtls-docs:/rules/gateway-tls-required.md' },
        message: BROKEN_MESSAGE,
      },
    ]);
  });

  it('the rule link opens the rendered page: a Markdown preview of the shipped page, and no editable text editor', async () => {
    const [d] = meshtlsDiagnostics(broken);
    const target = (d!.code as { target: vscode.Uri }).target;
    // What the Problems panel and the hover do with the link: open the URI.
    await vscode.commands.executeCommand('vscode.open', target);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    /** Waits (bounded) until the preview tab is open and no text editor shows the page's source. */
    const previewOnly = async () => {
      const deadline = Date.now() + 20_000;
      while (!(tabs().some((t) => t.label === 'Preview gateway-tls-required.md') && !tabs().some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'meshtls-docs'))) {
        assert.ok(Date.now() < deadline, `tabs: ${JSON.stringify(tabs().map((t) => t.label))}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await previewOnly();
    const preview = tabs().find((t) => t.label === 'Preview gateway-tls-required.md')!;
    assert.ok(preview.input instanceof vscode.TabInputWebview, 'the page is a rendered preview');
    // The document behind it is the shipped page, read-only (a virtual document, not the install folder's file).
    const doc = await vscode.workspace.openTextDocument(target);
    assert.equal(doc.getText(), new TextDecoder().decode(await vscode.workspace.fs.readFile(docsPage('gateway-tls-required'))));
    assert.equal(doc.uri.scheme, 'meshtls-docs');
    // Show documentation (the quick fix) lands on the same rendered page.
    await closeAllEditors();
    await vscode.commands.executeCommand('meshtls.openRuleDocs', 'gateway-tls-required');
    await previewOnly();
    assert.deepEqual(tabs().map((t) => t.label), ['Preview gateway-tls-required.md']);
    await closeAllEditors();
  });

  it('reports nothing once the file holds the clean FooCorp example, and the error again when it is restored', async () => {
    // The example is checked in place of the broken file rather than opened beside it: two copies of the same Gateway
    // in one workspace would rightly conflict (same hosts on the same port).
    const clean = new TextDecoder().decode(await vscode.workspace.fs.readFile(repoFile('examples/foocorp/gateway.yaml')));
    const editor = await openFile(broken);
    const original = editor.document.getText();
    const replaceAll = (text: string) =>
      editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), text));
    try {
      assert.equal(await replaceAll(clean), true);
      const none = await waitForDiagnostics(broken, (ds) => ds.length === 0, { what: 'no diagnostics on the clean example' });
      assert.deepEqual(none, []);
    } finally {
      // Restored by an edit and saved, not by "revert": if auto-save wrote the clean text to disk, the UI scenarios
      // would open a fixed file.
      await replaceAll(original);
      await editor.document.save();
    }
    const restored = await waitForDiagnostics(broken, (ds) => ds.length === 1, { what: 'the diagnostic to come back after the text was restored' });
    assert.equal(restored[0]?.message, BROKEN_MESSAGE);
    assert.equal(editor.document.getText(), original);
    assert.equal(editor.document.isDirty, false);
  });
});
