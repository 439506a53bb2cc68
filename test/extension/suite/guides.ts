// YAML inside a Markdown walkthrough and shell scripts (test/fixtures/guides/broken): diagnostics, quick fixes and
// hovers land on the lines of the .md/.sh files themselves.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, hoverText, meshtlsDiagnostics, openFile, positionOf, rangeOf, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

const ENUM = 'schema-invalid-enum';

/**
 * The quick fixes at a range. Markdown's own language server also answers code action requests and cancels one that
 * arrives while it is still reading a changed document; VS Code then rejects the whole request with "Canceled", so
 * it is asked again (a bounded number of times).
 */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    } catch (err) {
      if ((err as Error).message !== 'Canceled' || attempt === 5) throw err;
    }
  }
}

/**
 * The quick fix titled `title` on the enum diagnostic. Opening the page in an editor re-lints it from the editor's
 * text and publishes its diagnostics again; a request that lands between VS Code's marker update and the renderer's
 * copy of it sees no diagnostic at the range and gets no action at all (`[]`). So the diagnostic is read afresh and
 * the request repeated after each diagnostics change for the page, until the action is there or 20 s have passed.
 */
async function quickFixOnEnum(uri: vscode.Uri, title: string): Promise<{ fix: vscode.CodeAction | undefined; offered: string[] }> {
  const deadline = Date.now() + 20_000;
  let offered: string[] = [];
  for (;;) {
    const [d] = enumIn(meshtlsDiagnostics(uri));
    if (d) {
      const actions = await quickFixes(uri, d.range);
      offered = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title === title);
      if (fix) return { fix, offered };
    }
    if (Date.now() > deadline) return { fix: undefined, offered };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { sub.dispose(); resolve(); }, 1_000);
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) { clearTimeout(timer); sub.dispose(); resolve(); }
      });
    });
  }
}

const enumIn = (ds: vscode.Diagnostic[]) => ds.filter((d) => typeof d.code === 'object' && d.code.value === ENUM);

describe('guides: YAML in Markdown and shell heredocs', { workspace: 'guides' }, () => {
  let page: vscode.Uri;
  let script: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    page = workspaceFile('foocorp/walkthrough.md');
    script = workspaceFile('peer-authentication/rollout.sh');
    // Both are found by the workspace scan, open or not.
    await waitForDiagnostics(page, (ds) => enumIn(ds).length === 1, { what: 'the misspelt TLS mode in the walkthrough' });
    await waitForDiagnostics(script, (ds) => enumIn(ds).length === 1 && ds.length === 3, { what: 'the misspelt mTLS mode and two mismatches in the rollout script' });
  });

  after(closeAllEditors);

  it('a ```yaml block in the walkthrough: the diagnostic sits on the value, on its line of the .md', () => {
    const [d] = enumIn(meshtlsDiagnostics(page));
    // `MUTAL` on line 50 of walkthrough.md, columns 15-19 (1-based), inside the Gateway's fenced block.
    assert.deepEqual(rangeOf(d!.range), [49, 14, 49, 19]);
    assert.match(d!.message, /^Invalid value "MUTAL" for Gateway spec\.servers\[1\]\.tls\.mode/);
    // The VirtualService in the list-indented block names a Gateway that does not exist.
    const notFound = meshtlsDiagnostics(page).find((x) => typeof x.code === 'object' && x.code.value === 'virtual-service-gateway-not-found');
    assert.deepEqual(notFound && rangeOf(notFound.range), [69, 9, 69, 23]);
  });

  it('heredocs in the rollout script: diagnostics on their lines of the .sh, namespaces from -n and the for loop', () => {
    assert.deepEqual(enumIn(meshtlsDiagnostics(script)).map((d) => rangeOf(d.range)), [[90, 10, 90, 15]]);
    // DISABLE towards cart, whose STRICT policy is applied by `for ns in frontend cart …; do kubectl apply -n "$ns"`.
    const mismatch = meshtlsDiagnostics(script).filter((d) => typeof d.code === 'object' && d.code.value === 'destination-rule-mtls-mismatch');
    assert.deepEqual(mismatch.map((d) => rangeOf(d.range)), [[23, 12, 23, 19], [79, 12, 79, 19]]);
    assert.match(mismatch[1]!.message, /PeerAuthentication "cart\/default" requires mutual TLS/);
  });

  /** Opens the walkthrough and returns a function that puts its original text back, saved, with the error back. */
  async function editable(): Promise<{ editor: vscode.TextEditor; original: string; restore: () => Promise<void> }> {
    const editor = await openFile(page);
    const original = editor.document.getText();
    const restore = async () => {
      await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), original));
      await editor.document.save();
      await waitForDiagnostics(page, (ds) => enumIn(ds).length === 1, { what: 'the error to come back after the text was restored' });
    };
    return { editor, original, restore };
  }

  // Each edit re-lints the workspace and waits for it; on a loaded machine that takes more than the default 30 s.
  it('the rule fix edits the ```yaml block of the .md in place, and the diagnostic goes away', async () => {
    const { editor, original, restore } = await editable();
    const { fix, offered } = await quickFixOnEnum(page, 'Change to MUTUAL');
    assert.ok(fix?.edit, `no "Change to MUTUAL" among ${JSON.stringify(offered)}`);
    try {
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      await waitForDiagnostics(page, (ds) => enumIn(ds).length === 0, { what: 'the enum error to go away after the fix' });
      assert.equal(editor.document.lineAt(49).text, '        mode: MUTUAL');
    } finally {
      await restore();
    }
    assert.equal(editor.document.getText(), original);
  }, { timeoutMs: 90_000 });

  it('Disable for this file writes the comment into the embedded document, not the page heading', async () => {
    const { editor, original, restore } = await editable();
    const { fix: disable, offered } = await quickFixOnEnum(page, `Disable ${ENUM} for this file`);
    assert.ok(disable?.edit, `no "Disable ${ENUM} for this file" among ${JSON.stringify(offered)}`);
    try {
      assert.equal(await vscode.workspace.applyEdit(disable.edit), true);
      await waitForDiagnostics(page, (ds) => enumIn(ds).length === 0, { what: 'the enum error to be disabled' });
      // The comment opens the Gateway's YAML block, not the page (where `#` would be a heading).
      assert.equal(editor.document.lineAt(0).text, '# FooCorp secure ingress, step by step');
      assert.equal(editor.document.lineAt(25).text, '```yaml');
      assert.equal(editor.document.lineAt(26).text, `# meshtls-disable ${ENUM}`);
      assert.equal(editor.document.lineAt(27).text, 'apiVersion: networking.istio.io/v1');
    } finally {
      await restore();
    }
    assert.equal(editor.document.getText(), original);
  }, { timeoutMs: 90_000 });

  it('hovers explain values inside a heredoc', async () => {
    const doc = (await openFile(script)).document;
    const texts = await hoverText(script, positionOf(doc, 'mode: STRICT', 7));
    assert.ok(texts.some((t) => /STRICT/.test(t) && /mutual TLS/i.test(t)), JSON.stringify(texts));
  });
});
