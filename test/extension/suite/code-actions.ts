// Quick fixes on the broken FooCorp gateway, through vscode.executeCodeActionProvider and applied as the editor would.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, meshtlsDiagnostics, openFile, rangeOf, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

const RULE = 'gateway-tls-required';
// The frontend server's credential is `frontend-credential`: the fix names the inventory one the same way.
const FIX_TITLE = 'Add a tls block (mode SIMPLE, credentialName "inventory-credential")';

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

describe('code actions', () => {
  let uri: vscode.Uri;
  let original: string;

  before(async () => {
    await closeAllEditors();
    uri = workspaceFile('gateway.yaml');
    original = (await openFile(uri)).document.getText();
    await waitForDiagnostics(uri, (ds) => ds.length === 1, { what: 'the gateway-tls-required error' });
  });

  after(closeAllEditors);

  /** Applies `action`'s edit, waits for `until`, then restores the original text and saves, whatever happened. */
  async function applyAndRestore(action: vscode.CodeAction, until: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<{ text: string; diagnostics: vscode.Diagnostic[] }> {
    const editor = await openFile(uri);
    try {
      assert.ok(action.edit, `"${action.title}" has no edit`);
      assert.equal(await vscode.workspace.applyEdit(action.edit), true);
      const diagnostics = await waitForDiagnostics(uri, until, { what });
      return { text: editor.document.getText(), diagnostics };
    } finally {
      await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), original));
      await editor.document.save();
      await waitForDiagnostics(uri, (ds) => ds.length === 1, { what: 'the error to come back after the text was restored' });
    }
  }

  it('offers the rule fix (preferred), disable for the line, disable for the file and the documentation', async () => {
    const [diag] = meshtlsDiagnostics(uri);
    // Right after the diagnostic appears the workbench may not yet hand it to code action providers (seen once: an
    // empty list, while the same request a moment later listed all four): an empty answer is asked again, briefly.
    let actions = await quickFixes(uri, diag!.range);
    for (let tries = 0; actions.length === 0 && tries < 25; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      actions = await quickFixes(uri, diag!.range);
    }
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        [FIX_TITLE, true],
        [`Disable ${RULE} for this line`, false],
        [`Disable ${RULE} for this file`, false],
        [`Show documentation for ${RULE}`, false],
      ],
    );
    const docs = actions[3]!;
    assert.deepEqual(docs.command && { command: docs.command.command, arguments: docs.command.arguments }, { command: 'meshtls.openRuleDocs', arguments: [RULE] });
  });

  it('the rule fix inserts a tls block after the port, and the error goes away', async () => {
    const [diag] = meshtlsDiagnostics(uri);
    const fix = (await quickFixes(uri, diag!.range)).find((a) => a.title === FIX_TITLE)!;
    const { text, diagnostics } = await applyAndRestore(fix, (ds) => ds.length === 0, 'no diagnostics after the fix');
    assert.deepEqual(diagnostics, []);
    assert.equal(
      text.split('\n').slice(20, 28).join('\n'),
      [
        '    - port:',
        '        number: 443',
        '        name: https-inventory',
        '        protocol: HTTPS',
        '      tls:',
        '        mode: SIMPLE',
        '        credentialName: inventory-credential',
        '      hosts:',
      ].join('\n'),
    );
  });

  it('"Disable for this line" inserts a comment above the line and silences the rule there', async () => {
    const [diag] = meshtlsDiagnostics(uri);
    const action = (await quickFixes(uri, diag!.range)).find((a) => a.title === `Disable ${RULE} for this line`)!;
    const { text } = await applyAndRestore(action, (ds) => ds.length === 0, 'no diagnostics after disabling the rule for the line');
    assert.equal(text.split('\n')[rangeOf(diag!.range)[0]], `        # meshtls-disable-next-line ${RULE}`);
  });

  it('"Disable for this file" inserts a comment on the first line and silences the rule in the file', async () => {
    const [diag] = meshtlsDiagnostics(uri);
    const action = (await quickFixes(uri, diag!.range)).find((a) => a.title === `Disable ${RULE} for this file`)!;
    const { text } = await applyAndRestore(action, (ds) => ds.length === 0, 'no diagnostics after disabling the rule for the file');
    assert.equal(text.split('\n')[0], `# meshtls-disable ${RULE}`);
  });
});
