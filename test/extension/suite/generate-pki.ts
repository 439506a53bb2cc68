// The FooCorp walkthrough without its PKI trees (the harness copies examples/foocorp minus the two host folders):
// every credential is unresolved until meshtls.generatePkiTree writes the trees, which openssl then verifies.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, hoverText, openFile, positionOf, waitForAllDiagnostics, workspaceFile } from '../runner/src/editor';

const HOSTS = ['frontend.foocorp.com', 'inventory.foocorp.com'];

describe('foocorp-no-pki: unresolved credentials, Generate PKI Tree', { workspace: 'foocorp-no-pki' }, () => {
  let gatewayUri: vscode.Uri;
  let root: string;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    await openFile(gatewayUri);
  });

  after(closeAllEditors);

  it('reports 6 credential-unresolved warnings (key, cert, cacert of both credentials), all on the gateway', async () => {
    const all = await waitForAllDiagnostics((a) => a.reduce((n, [, ds]) => n + ds.length, 0) === 6, { what: '6 credential-unresolved warnings' });
    assert.deepEqual(all.map(([u]) => u.fsPath), [gatewayUri.fsPath]);
    const ds = all[0]![1];
    assert.deepEqual([...new Set(ds.map((d) => `${vscode.DiagnosticSeverity[d.severity]} ${typeof d.code === 'object' ? d.code.value : d.code}`))], ['Warning credential-unresolved']);
    assert.deepEqual(
      ds.map((d) => d.message).sort(),
      [
        'Credential "frontend-credential" takes "cacert" from "frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem", which is not in the workspace.',
        'Credential "frontend-credential" takes "cert" from "frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem", which is not in the workspace.',
        'Credential "frontend-credential" takes "key" from "frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem", which is not in the workspace.',
        'Credential "inventory-credential" takes "cacert" from "inventory.foocorp.com/2_intermediate/certs/ca-chain.cert.pem", which is not in the workspace.',
        'Credential "inventory-credential" takes "cert" from "inventory.foocorp.com/3_application/certs/inventory.foocorp.com.cert.pem", which is not in the workspace.',
        'Credential "inventory-credential" takes "key" from "inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem", which is not in the workspace.',
      ],
    );
  });

  it('CodeLens says the credential files are not found and offers Generate PKI Tree… for its host', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri, 10)) ?? [];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, JSON.stringify(l.command?.command === 'meshtls.generatePkiTree' ? l.command.arguments : null)]),
      [
        [16, '⚠ "cert" file not found locally (+2 more)', 'meshtls.showCertificateChain', 'null'],
        [16, 'Generate PKI Tree…', 'meshtls.generatePkiTree', JSON.stringify([{ hosts: ['frontend.foocorp.com'] }])],
        [25, '⚠ "cert" file not found locally (+2 more)', 'meshtls.showCertificateChain', 'null'],
        [25, 'Generate PKI Tree…', 'meshtls.generatePkiTree', JSON.stringify([{ hosts: ['inventory.foocorp.com'] }])],
      ],
    );
  });

  it('hover on the credentialName lists the files the kubectl line names and flags each as missing', async () => {
    const doc = (await openFile(gatewayUri)).document;
    const [text] = await hoverText(gatewayUri, positionOf(doc, 'frontend-credential', 3));
    const lines = text!.split('\n');
    // Verdict first (a warning, as in Problems), then the three failing checks, then where it came from.
    assert.equal(lines[0], '⚠️ **frontend-credential** · MUTUAL · "cert" file not found locally (+2 more)');
    assert.deepEqual(
      lines.slice(2, 5).map((l) => /^- ⚠️ Credential "frontend-credential" takes "(\w+)" from "frontend\.foocorp\.com\/[^"]+\.pem", which is not in the workspace\. `credential-unresolved`$/.exec(l)?.[1] ?? l),
      ['cert', 'key', 'cacert'],
    );
    const from = lines.findIndex((l) => l.startsWith('From '));
    assert.equal(lines[from]!.replace(/\(file:[^)]*\)$/, '(…)'), 'From [kubectl line in create-secrets.sh](…)');
    assert.deepEqual(
      lines.slice(from + 2, from + 5).map((l) => l.replace(/\]\(file:\/\/\/[^)]*\)/, '](…)')),
      [
        '- `key` ← [frontend.foocorp.com/3\\_application/private/frontend.foocorp.com.key.pem](…) ⚠️ it is not in the workspace',
        '- `cert` ← [frontend.foocorp.com/3\\_application/certs/frontend.foocorp.com.cert.pem](…) ⚠️ it is not in the workspace',
        '- `cacert` ← [frontend.foocorp.com/2\\_intermediate/certs/ca-chain.cert.pem](…) ⚠️ it is not in the workspace',
      ],
    );
    assert.match(text!, /\*\*Checks\*\*: ✅ 23 of 24 passed · \[Show chain\]/);
  });

  it('the credential-unresolved quick fix (Generate a PKI tree for the host) writes trees that openssl verifies, and the warnings go away', async () => {
    const cleared = waitForAllDiagnostics((a) => a.length === 0, { what: 'no meshtls diagnostics after generating the PKI trees', timeoutMs: 40_000 });
    const written: string[] = [];
    for (const host of HOSTS) {
      // The quick fix on that credential's own warning (the first of its three), as Ctrl+. offers it.
      const diag = vscode.languages.getDiagnostics(gatewayUri).find((d) => d.message.startsWith(`Credential "${host.split('.')[0]}-credential"`));
      assert.ok(diag, `no warning for ${host}`);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', gatewayUri, diag.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      const fix = actions.find((a) => a.command?.command === 'meshtls.generatePkiTree');
      assert.equal(fix?.title, `Generate a PKI tree for ${host}…`, `offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.deepEqual(fix.command!.arguments, [{ hosts: [host] }]);
      // The prompts it would ask (profile, destination) are answered by arguments here; the UI scenario answers them.
      const out = await vscode.commands.executeCommand<string[]>('meshtls.generatePkiTree', { ...(fix.command!.arguments![0] as object), profile: 'ecdsa', outDir: root, overwrite: false });
      assert.ok(Array.isArray(out), 'the command returned no file list');
      written.push(...out);
    }
    const rel = written.map((p) => p.slice(root.length + 1)).sort();
    for (const host of HOSTS) {
      for (const f of [
        '1_root/certs/ca.cert.pem',
        '1_root/private/ca.key.pem',
        '2_intermediate/certs/intermediate.cert.pem',
        '2_intermediate/certs/ca-chain.cert.pem',
        '2_intermediate/private/intermediate.key.pem',
        `3_application/certs/${host}.cert.pem`,
        `3_application/private/${host}.key.pem`,
        `4_client/certs/${host}.cert.pem`,
        `4_client/private/${host}.key.pem`,
      ]) {
        assert.ok(rel.includes(`${host}/${f}`), `${host}/${f} missing from ${JSON.stringify(rel)}`);
      }
      // openssl, an outside judge: the server and the client certificate chain up to the new root.
      const dir = join(root, host);
      for (const leaf of [`3_application/certs/${host}.cert.pem`, `4_client/certs/${host}.cert.pem`]) {
        const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, '1_root/certs/ca.cert.pem'), '-untrusted', join(dir, '2_intermediate/certs/intermediate.cert.pem'), join(dir, leaf)], { encoding: 'utf8' });
        assert.equal(out.trim(), `${join(dir, leaf)}: OK`);
      }
      const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(dir, `3_application/certs/${host}.cert.pem`)], { encoding: 'utf8' });
      assert.match(text, /Public Key Algorithm: id-ecPublicKey/);
      assert.match(text, new RegExp(`DNS:${host.replace(/\./g, '\\.')}`));
    }
    assert.deepEqual(await cleared, []);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri, 10)) ?? [];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, String(l.command?.title).replace(/\d+ days/, 'N days')]),
      [
        [16, '✓ 3 certs · expires in N days'],
        [16, 'Copy kubectl command'],
        [16, 'Show chain'],
        [25, '✓ 3 certs · expires in N days'],
        [25, 'Copy kubectl command'],
        [25, 'Show chain'],
      ],
    );
  }, { timeoutMs: 60_000 });
});
