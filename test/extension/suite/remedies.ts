// Certificate remedies driven end to end: the quick fix on cert-host-mismatch re-issues the server certificate from
// the tree's own CA, openssl verifies the result against the unchanged chain, and the finding goes away.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, meshtlsDiagnostics, openFile, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

const H = 'frontend.foocorp.com';
const FILES = [`${H}/3_application/certs/${H}.cert.pem`, `${H}/3_application/private/${H}.key.pem`, `${H}/3_application/csr/${H}.csr.pem`, `${H}/1_root/certs/ca.cert.pem`, `${H}/2_intermediate/certs/intermediate.cert.pem`];

describe('remedies: re-issue the server certificate from the existing CA', { workspace: 'foocorp' }, () => {
  const saved = new Map<string, Uint8Array>();
  let gatewayUri: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    for (const f of FILES) saved.set(f, await vscode.workspace.fs.readFile(workspaceFile(f)));
  });

  after(async () => {
    // Put the walkthrough back exactly: other suites read the same workspace.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (const [f, bytes] of saved) await vscode.workspace.fs.writeFile(workspaceFile(f), bytes);
    await closeAllEditors();
  });

  it('cert-host-mismatch offers the re-issue (not preferred); it keeps the CA, openssl verifies, the finding clears', async () => {
    const editor = await openFile(gatewayUri);
    const at = editor.document.getText().indexOf(`- ${H}`);
    await editor.edit((b) => b.insert(editor.document.positionAt(at + `- ${H}`.length), '\n        - admin.foocorp.com'));
    const [diag] = await waitForDiagnostics(gatewayUri, (ds) => ds.some((d) => typeof d.code === 'object' && d.code.value === 'cert-host-mismatch'), { what: 'cert-host-mismatch for the added host' });
    const mismatch = meshtlsDiagnostics(gatewayUri).find((d) => typeof d.code === 'object' && d.code.value === 'cert-host-mismatch') ?? diag!;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', gatewayUri, mismatch.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const remedy = actions.find((a) => a.title.startsWith('Re-issue the server certificate from the existing CA'));
    assert.ok(remedy, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(!remedy.isPreferred);
    assert.equal(remedy.command?.command, 'meshtls.reissueServerCertificate');
    const written = await vscode.commands.executeCommand<string[]>(remedy.command!.command, { ...(remedy.command!.arguments![0] as object), confirm: true, passphrase: 'secretpass' });
    assert.equal(written?.length, 3);
    await waitForDiagnostics(gatewayUri, (ds) => !ds.some((d) => typeof d.code === 'object' && String(d.code.value).startsWith('cert-')), { what: 'no certificate finding after the re-issue' });
    const cwd = workspaceFile('.').fsPath;
    const verify = spawnSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', `${H}/2_intermediate/certs/ca-chain.cert.pem`, `${H}/3_application/certs/${H}.cert.pem`], { cwd, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    const text = spawnSync('openssl', ['x509', '-in', `${H}/3_application/certs/${H}.cert.pem`, '-noout', '-ext', 'subjectAltName'], { cwd, encoding: 'utf8' }).stdout;
    assert.match(text, /DNS:frontend\.foocorp\.com, DNS:admin\.foocorp\.com/);
    for (const ca of FILES.slice(3)) assert.deepEqual(await vscode.workspace.fs.readFile(workspaceFile(ca)), saved.get(ca), `${ca} is untouched`);
  });
});
