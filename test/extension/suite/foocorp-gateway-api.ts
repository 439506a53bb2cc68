// The FooCorp walkthrough on the Kubernetes Gateway API (examples/foocorp-gateway-api, copied by the harness):
// certificateRefs and caCertificateRefs hover with their chain, CodeLens, the Credentials view, navigation from
// parentRefs and refs, sectionName completion, the Gateway API kubectl form, Generate PKI Tree from a listener, and the
// Gateway API quick fixes (missing ReferenceGrant, parentRef namespace, a listener for the route's hostname).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../runner/src/framework';
import { MESHTLS_ID, closeAllEditors, hoverText, meshtlsDiagnostics, openFile, positionOf, waitForAllDiagnostics, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

interface Tree {
  getChildren(node?: unknown): Promise<unknown[]>;
  getTreeItem(node: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

async function definition(uri: vscode.Uri, at: vscode.Position): Promise<{ file: string; selected: string }> {
  const defs = (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, at)) ?? [];
  assert.equal(defs.length, 1);
  const d = defs[0]!;
  const link = 'targetUri' in d ? d : { targetUri: d.uri, targetSelectionRange: d.range };
  const doc = await vscode.workspace.openTextDocument(link.targetUri);
  const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  return { file: link.targetUri.fsPath.slice(root.length + 1), selected: doc.getText(link.targetSelectionRange!) };
}


async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

/**
 * Plants a fault in `file` (replacing `from` with `to`), waits for `ruleId`, hands its quick fixes to `check`, and
 * restores every file the fault or the fix touched, saved, whatever happened, until the workspace is clean again.
 */
async function withFault(file: string, from: string, to: string, ruleId: string, check: (fixes: vscode.CodeAction[], uri: vscode.Uri) => Promise<void>, diagFile = file): Promise<void> {
  const uri = workspaceFile(file);
  const diagUri = workspaceFile(diagFile);
  const originals = new Map<string, string>();
  for (const f of ['gateway.yaml', 'httproutes.yaml', 'reference-grant.yaml']) originals.set(f, (await vscode.workspace.openTextDocument(workspaceFile(f))).getText());
  const editor = await openFile(uri);
  try {
    const text = editor.document.getText();
    assert.ok(text.includes(from), `"${from}" not in ${file}`);
    await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(text.indexOf(from)), editor.document.positionAt(text.indexOf(from) + from.length)), to));
    const ds = await waitForDiagnostics(diagUri, (d) => d.some((x) => (typeof x.code === 'object' ? x.code.value : x.code) === ruleId), { what: ruleId });
    const diag = ds.find((x) => (typeof x.code === 'object' ? x.code.value : x.code) === ruleId)!;
    await check(await quickFixes(diagUri, diag.range), diagUri);
  } finally {
    for (const [f, original] of originals) {
      const doc = await vscode.workspace.openTextDocument(workspaceFile(f));
      if (doc.getText() === original && !doc.isDirty) continue;
      const e = await vscode.window.showTextDocument(doc);
      await e.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
      await doc.save();
    }
    await waitForAllDiagnostics((all) => all.length === 0, { what: 'a clean workspace after restoring the example' });
  }
}

describe('foocorp-gateway-api: listeners get every credential feature', { workspace: 'foocorp-gateway-api' }, () => {
  let gateway: vscode.TextDocument;
  let gatewayUri: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    gateway = (await openFile(gatewayUri)).document;
  });

  after(closeAllEditors);

  it('the example has no meshtls diagnostics anywhere', () => {
    const all = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'meshtls'));
    assert.deepEqual(all.map(([u, ds]) => [u.fsPath, ds.map((d) => d.message)]), []);
  });

  it('hover on a certificateRefs name: read in the Gateway\'s namespace, from the kubectl line, with the chain and the ConfigMap CA', async () => {
    const [text, ...rest] = await hoverText(gatewayUri, positionOf(gateway, '- name: frontend-credential', 10));
    assert.equal(rest.length, 0);
    const lines = text!.split('\n');
    // Served leaf + intermediate, and the two CAs of the frontend chain in the client CA bundle.
    assert.match(lines[0]!, /^✅ \*\*frontend-credential\*\* · MUTUAL · 5 certs · expires in \d+ days$/);
    assert.equal(lines[2], "Secret read from namespace `foocorp` (the Gateway's)");
    assert.match(lines[4]!, /^From \[kubectl line in create-secrets\.sh\]\(file:\/\/\/.*create-secrets\.sh#L\d+\)$/);
    assert.match(text!, /- `tls\.crt` ← \[frontend\.foocorp\.com\/3\\_application\/certs\/frontend\.foocorp\.com\.fullchain\.pem\]/);
    assert.match(text!, /- `foocorp-client-ca: ca\.crt` ← \[foocorp-client-ca\.pem\]/);
    assert.match(text!, /1\. ✅ \*\*frontend\.foocorp\.com\*\* — server certificate/);
    assert.match(text!, /\*\*Checks\*\*: ✅ (\d+) of \1 passed/);
    // The cross-namespace ref reads its own namespace.
    const [inv] = await hoverText(gatewayUri, positionOf(gateway, '- name: inventory-credential', 10));
    assert.equal(inv!.split('\n')[2], "Secret read from namespace `foocorp-certs` (the certificateRef's)");
  });

  it('hover on the caCertificateRefs name shows the credential it validates clients for, with the client CAs', async () => {
    const [text] = await hoverText(gatewayUri, positionOf(gateway, 'name: foocorp-client-ca', 8));
    assert.match(text!, /^✅ \*\*frontend-credential\*\* · MUTUAL/);
    assert.match(text!, /client CA \(intermediate\)/);
    assert.match(text!, /client CA \(root\)/);
  });

  it('CodeLens above each certificateRef: resolved status, Copy kubectl command, Show chain', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri, 10)) ?? [];
    const frontLine = positionOf(gateway, '- name: frontend-credential', 10).line;
    const invLine = positionOf(gateway, '- name: inventory-credential', 10).line;
    const seen = lenses.map((l) => [l.range.start.line, String(l.command?.title).replace(/\d+ days/, 'N days'), l.command?.command]);
    assert.deepEqual(seen, [
      [frontLine, '✓ 5 certs · expires in N days', 'meshtls.showCertificateChain'],
      [frontLine, 'Copy kubectl command', 'meshtls.copyKubectlSecretCommand'],
      [frontLine, 'Show chain', 'meshtls.showCertificateChain'],
      [invLine, '✓ 5 certs · expires in N days', 'meshtls.showCertificateChain'],
      [invLine, 'Copy kubectl command', 'meshtls.copyKubectlSecretCommand'],
      [invLine, 'Show chain', 'meshtls.showCertificateChain'],
    ]);
  });

  it('Copy kubectl command gives the Gateway API form: secret tls in the Gateway\'s namespace and the CA ConfigMap', async () => {
    const frontLine = positionOf(gateway, '- name: frontend-credential', 10).line;
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri)) ?? []).find((l) => l.command?.title === 'Copy kubectl command' && l.range.start.line === frontLine)!;
    const text = await vscode.commands.executeCommand<string>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(
      text,
      [
        'kubectl create -n foocorp secret tls frontend-credential \\',
        '  --cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem \\',
        '  --key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem',
        'kubectl create -n foocorp configmap foocorp-client-ca \\',
        '  --from-file=ca.crt=foocorp-client-ca.pem',
        '',
      ].join('\n'),
    );
    // The same commands create-secrets.sh runs.
    const script = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile('create-secrets.sh')));
    for (const line of text.trim().split(/\n(?=kubectl )/)) assert.ok(script.includes(line), `create-secrets.sh lacks:\n${line}`);
  });

  it('the Credentials view lists both listener credentials, resolved, with their sources', async () => {
    const tree = vscode.extensions.getExtension<{ credentialsTree: Tree }>(MESHTLS_ID)!.exports.credentialsTree;
    const top = await Promise.all((await tree.getChildren()).map(async (node) => ({ node, item: await tree.getTreeItem(node) })));
    assert.deepEqual(top.map(({ item }) => label(item)), ['frontend-credential', 'inventory-credential']);
    for (const { item } of top) {
      assert.match(String(item.description), /^MUTUAL · ✓ 5 certs · expires in \d+ days$/);
      assert.equal(item.contextValue, 'credential.resolved');
    }
    assert.match((top[1]!.item.tooltip as vscode.MarkdownString).value, /^\*\*inventory-credential\*\* — Gateway listener `inventory` of `foocorp\/foocorp-gateway`, hosts `inventory\.foocorp\.com`\n\nSecret read from namespace `foocorp-certs`\.$/);
    const children = await Promise.all((await tree.getChildren(top[0]!.node)).map((n) => tree.getTreeItem(n)));
    assert.deepEqual(children.slice(0, 4).map((c) => [label(c), c.description]), [
      ['from kubectl', 'kubectl line in create-secrets.sh'],
      ['tls.crt', 'frontend.foocorp.com/3_application/certs/frontend.foocorp.com.fullchain.pem'],
      ['tls.key', 'frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem'],
      ['foocorp-client-ca: ca.crt', 'foocorp-client-ca.pem'],
    ]);
  });

  it('go to definition: parentRef name → Gateway, sectionName → listener, certificateRef → kubectl line, caCertificateRef → ConfigMap line', async () => {
    const routesUri = workspaceFile('httproutes.yaml');
    const routes = (await openFile(routesUri)).document;
    assert.deepEqual(await definition(routesUri, positionOf(routes, '- name: foocorp-gateway', 10)), { file: 'gateway.yaml', selected: 'foocorp-gateway' });
    const toListener = await definition(routesUri, positionOf(routes, 'sectionName: inventory', 15));
    assert.deepEqual(toListener, { file: 'gateway.yaml', selected: 'inventory' });
    const listenerLine = positionOf(gateway, '- name: inventory\n', 8).line;
    const defs = (await vscode.commands.executeCommand<vscode.LocationLink[]>('vscode.executeDefinitionProvider', routesUri, positionOf(routes, 'sectionName: inventory', 15)))!;
    assert.equal(defs[0]!.targetSelectionRange!.start.line, listenerLine);
    const secret = await definition(gatewayUri, positionOf(gateway, '- name: inventory-credential', 10));
    assert.equal(secret.file, 'create-secrets.sh');
    assert.match(secret.selected, /^kubectl create -n foocorp-certs secret tls inventory-credential/);
    const ca = await definition(gatewayUri, positionOf(gateway, 'name: foocorp-client-ca', 8));
    assert.equal(ca.file, 'create-secrets.sh');
    assert.match(ca.selected, /^kubectl create -n foocorp configmap foocorp-client-ca/);
  });

  it('completion after sectionName: offers the Gateway\'s listener names', async () => {
    const routesUri = workspaceFile('httproutes.yaml');
    const routes = (await openFile(routesUri)).document;
    const at = positionOf(routes, 'sectionName: frontend', 'sectionName: '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', routesUri, at);
    const ours = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Reference).map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i.detail]);
    assert.deepEqual(ours, [
      ['frontend', 'listener "frontend" of Gateway foocorp/foocorp-gateway: port 443, HTTPS, frontend.foocorp.com'],
      ['inventory', 'listener "inventory" of Gateway foocorp/foocorp-gateway: port 443, HTTPS, inventory.foocorp.com'],
    ]);
  });

  it('quick fix: a parentRef without its namespace gets "Add `namespace: foocorp`" (preferred), and the route attaches', async () => {
    await withFault('httproutes.yaml', '      namespace: foocorp\n      sectionName: frontend\n', '      sectionName: frontend\n', 'gateway-api-parent-not-found', async (fixes, uri) => {
      const fix = fixes.find((a) => a.title === 'Add `namespace: foocorp`');
      assert.ok(fix, fixes.map((a) => a.title).join(' | '));
      assert.equal(fix.isPreferred, true);
      assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
      await waitForDiagnostics(uri, (d) => d.length === 0, { what: 'no diagnostics after the fix' });
    });
  }, { timeoutMs: 60_000 });

  it('quick fix: a ReferenceGrant from the wrong namespace gets "Add a ReferenceGrant…" (preferred), and the ref is permitted', async () => {
    await withFault('reference-grant.yaml', '      namespace: foocorp\n', '      namespace: istio-ingress\n', 'gateway-api-ref-not-permitted', async (fixes, uri) => {
      const fix = fixes.find((a) => a.title === 'Add a ReferenceGrant in namespace "foocorp-certs" for Gateway foocorp/foocorp-gateway');
      assert.ok(fix, fixes.map((a) => a.title).join(' | '));
      assert.equal(fix.isPreferred, true);
      assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
      await waitForDiagnostics(uri, (d) => d.length === 0, { what: 'no diagnostics on gateway.yaml after the grant was added' });
    }, 'gateway.yaml');
  }, { timeoutMs: 60_000 });

  it('quick fix: a route hostname no listener serves gets "Add a listener for…", not preferred, saying the certificate does not cover it', async () => {
    await withFault('httproutes.yaml', '    - inventory.foocorp.com\n', '    - stock.foocorp.com\n', 'gateway-api-route-hostname-mismatch', async (fixes) => {
      const fix = fixes.find((a) => a.title.startsWith('Add a listener for `stock.foocorp.com`'));
      assert.ok(fix, fixes.map((a) => a.title).join(' | '));
      assert.equal(fix.title, 'Add a listener for `stock.foocorp.com` to Gateway foocorp/foocorp-gateway (a copy of listener "inventory"); its certificate does not cover stock.foocorp.com and must be re-issued');
      assert.equal(fix.isPreferred ?? false, false);
      assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
      // The route attaches to the new listener; what is left is the certificate, as the title said.
      const gw = workspaceFile('gateway.yaml');
      const ds = await waitForDiagnostics(gw, (d) => d.length > 0, { what: 'cert-host-mismatch on the new listener' });
      assert.deepEqual(ds.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)), ['cert-host-mismatch']);
      assert.deepEqual(meshtlsDiagnostics(workspaceFile('httproutes.yaml')), []);
    });
  }, { timeoutMs: 60_000 });

  it('Generate PKI Tree from a listener: openssl verifies the tree, and the offered commands are the Gateway API form', async () => {
    const editor = await openFile(gatewayUri);
    const at = positionOf(editor.document, 'hostname: inventory.foocorp.com', 12);
    editor.selection = new vscode.Selection(at, at);
    const out = mkdtempSync(join(tmpdir(), 'meshtls-gwapi-pki-'));
    const written = await vscode.commands.executeCommand<string[] & { commands: string[] }>('meshtls.generatePkiTree', { hosts: ['inventory.foocorp.com'], profile: 'ecdsa', outDir: out, overwrite: false });
    assert.ok(Array.isArray(written) && written.length > 0);
    const dir = join(out, 'inventory.foocorp.com');
    const verified = execFileSync('openssl', ['verify', '-CAfile', join(dir, '1_root/certs/ca.cert.pem'), '-untrusted', join(dir, '2_intermediate/certs/intermediate.cert.pem'), join(dir, '3_application/certs/inventory.foocorp.com.cert.pem')], { encoding: 'utf8' });
    assert.match(verified, /: OK\n$/);
    assert.equal(written.commands.length, 1);
    const [secretLine, caLine] = written.commands[0]!.trim().split(/\n(?=kubectl )/);
    assert.match(secretLine!, /^kubectl create -n foocorp-certs secret tls inventory-credential \\\n {2}--cert=\S+inventory\.foocorp\.com\/3_application\/certs\/inventory\.foocorp\.com\.cert\.pem \\\n {2}--key=\S+inventory\.foocorp\.com\.key\.pem$/);
    // The CA ConfigMap goes where the Gateway reads it (foocorp), not where the granted certificate lives.
    assert.match(caLine!, /^kubectl create -n foocorp configmap foocorp-client-ca \\\n {2}--from-file=ca\.crt=\S+2_intermediate\/certs\/ca-chain\.cert\.pem$/);
  }, { timeoutMs: 60_000 });
});
