// Diagnostics as the real extension host publishes them, on the foocorp-broken fixture workspace.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, describeDiagnostic, meshtlsDiagnostics, openFile, repoFile, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

describe('diagnostics', () => {
  // Resolved in before(), not at import time, so a missing workspace fails this suite instead of the whole bundle.
  let broken: vscode.Uri;
  let clean: vscode.Uri;

  before(async () => {
    broken = workspaceFile('gateway.yaml');
    clean = repoFile('examples/foocorp/gateway.yaml');
    await closeAllEditors();
    // The clean example is opened first, so once the broken file's diagnostic arrives the clean one has been linted
    // too (each open re-lints every open document); that is what lets the "no diagnostics" test assert an absence.
    await openFile(clean);
    await openFile(broken);
    await waitForDiagnostics(broken, (ds) => ds.length > 0, { what: 'a diagnostic on the broken FooCorp gateway' });
  });

  after(closeAllEditors);

  it('reports the server without tls on the broken FooCorp gateway', () => {
    assert.deepEqual(meshtlsDiagnostics(broken).map(describeDiagnostic), [
      {
        // `HTTPS` of the https-inventory server: line 24, columns 19-24 in the editor's 1-based terms.
        range: [23, 18, 23, 23],
        severity: 'Error',
        source: 'meshtls',
        code: { value: 'gateway-tls-required', target: 'https://github.com/meshtls/meshtls/blob/main/docs/rules/gateway-tls-required.md' },
        message: 'Server "https-inventory" uses protocol HTTPS but has no tls settings.',
      },
    ]);
  });

  it('reports nothing on the clean FooCorp example gateway', () => {
    assert.deepEqual(meshtlsDiagnostics(clean).map(describeDiagnostic), []);
  });

  it('clears the diagnostic as soon as the tls block is typed back, and restores it when the text is restored', async () => {
    const editor = await openFile(broken);
    const original = editor.document.getText();
    const protocolLine = editor.document.lineAt(23);
    assert.equal(protocolLine.text, '        protocol: HTTPS');
    try {
      const edited = await editor.edit((b) => b.insert(protocolLine.range.end, '\n      tls:\n        mode: SIMPLE\n        credentialName: inventory-credential'));
      assert.equal(edited, true);
      await waitForDiagnostics(broken, (ds) => ds.length === 0, { what: 'the diagnostic to clear after the edit' });
    } finally {
      // Restored by an edit and saved, not by "revert": auto-save (on by default in code-server) may already have
      // written the edit to disk, and later suites and the UI scenarios expect the fixture as it was.
      const all = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
      await editor.edit((b) => b.replace(all, original));
      await editor.document.save();
    }
    const restored = await waitForDiagnostics(broken, (ds) => ds.length === 1, { what: 'the diagnostic to come back after the text was restored' });
    assert.equal(restored[0]?.message, 'Server "https-inventory" uses protocol HTTPS but has no tls settings.');
    assert.equal(editor.document.getText(), original);
  });
});
