// The FooCorp walkthrough with its PKI trees (examples/foocorp, copied by the harness): credential hover, mode hovers,
// CodeLens, go to definition, completion, and the kubectl / chain commands, through the real vscode API.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { MESHTLS_ID, closeAllEditors, hoverText, meshtlsDiagnostics, openFile, positionOf, rangeOf, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

// What examples/foocorp/create-secrets.sh runs for the frontend credential: meshtls must hand out the same command.
const FRONTEND_KUBECTL = [
  'kubectl create -n istio-system secret generic frontend-credential \\',
  '  --from-file=key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem \\',
  '  --from-file=cert=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem \\',
  '  --from-file=cacert=frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem',
].join('\n');

interface ChainModel {
  title: string;
  subtitle?: string;
  empty?: string;
  sources: { label: string; fileId: string; offset: number }[];
  sections: { heading: string; role?: string; status: string; chained?: boolean; rows: [string, string][]; checks: { status: string; text: string }[] }[];
}

describe('foocorp: hovers, CodeLens, navigation, commands', { workspace: 'foocorp' }, () => {
  let gateway: vscode.TextDocument;
  let gatewayUri: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    gateway = (await openFile(gatewayUri)).document;
  });

  after(closeAllEditors);

  it('reports activation time and no diagnostics anywhere in the clean walkthrough', () => {
    const api = vscode.extensions.getExtension<{ activationMillis: number }>(MESHTLS_ID)!.exports;
    assert.equal(typeof api.activationMillis, 'number');
    console.log(`[meshtls-tests] activationMillis ${api.activationMillis.toFixed(1)} ms`);
    const all = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'meshtls'));
    assert.deepEqual(all.map(([u]) => u.fsPath), []);
    assert.deepEqual(meshtlsDiagnostics(gatewayUri), []);
  });

  it('hover on credentialName names the kubectl source, the files and the chain (CN, SANs, roles)', async () => {
    const [md, ...rest] = await hoverText(gatewayUri, positionOf(gateway, 'frontend-credential', 3));
    assert.equal(rest.length, 0);
    const text = md!;
    // The verdict comes first; with every check passing there is no problem list under it.
    assert.match(text.split('\n')[0], /^✅ \*\*frontend-credential\*\* · MUTUAL · 3 certs · expires in \d+ days$/);
    assert.equal(text.split('\n')[2], "Secret read from namespace `istio-system` (the gateway pods')");
    // The source is the kubectl line in create-secrets.sh, linked to its line.
    // Paths are shown relative to the workspace folder and linked to the files.
    const lines = text.split('\n');
    assert.equal(lines[4]!.replace(/\(file:\/\/\/.*\/create-secrets\.sh#L6\)$/, '(…)'), 'From [kubectl line in create-secrets.sh](…)');
    assert.deepEqual(
      lines.slice(6, 9).map((l) => l.replace(/\]\(file:\/\/\/[^)]*\)/, '](…)')),
      [
        '- `key` ← [frontend.foocorp.com/3\\_application/private/frontend.foocorp.com.key.pem](…)',
        '- `cert` ← [frontend.foocorp.com/3\\_application/certs/frontend.foocorp.com.cert.pem](…)',
        '- `cacert` ← [frontend.foocorp.com/2\\_intermediate/certs/ca-chain.cert.pem](…)',
      ],
    );
    // One line per certificate; subjects, SANs and fingerprints are in the chain panel the last line links to.
    assert.match(text, /1\. ✅ \*\*frontend\.foocorp\.com\*\* — server certificate · RSA 2048 · \d+ days left/);
    assert.match(text, /2\. ✅ \*\*frontend\.foocorp\.com\*\* — intermediate CA, not served/);
    assert.match(text, /3\. ✅ \*\*frontend\.foocorp\.com\*\* — root CA, not served/);
    assert.match(text, /✅ \*\*Private key\*\* \(.*\): RSA 2048 · matches the certificate/);
    assert.match(text, /\*\*Checks\*\*: ✅ 24 of 24 passed · \[Show chain\]\(command:meshtls\.showCertificateChain\?/);
  });

  it('hover on the Gateway tls mode MUTUAL explains it', async () => {
    const texts = await hoverText(gatewayUri, positionOf(gateway, 'mode: MUTUAL', 'mode: '.length + 2));
    assert.deepEqual(texts, [
      '**Gateway server TLS mode `MUTUAL`**\n\nThe gateway terminates TLS and **requires** a client certificate signed by the CA in the credential (`cacert` / `ca.crt`, or the `<credentialName>-cacert` secret). Without that CA every handshake fails.',
    ]);
  });

  it('hover on the PeerAuthentication mode STRICT explains it', async () => {
    const uri = workspaceFile('peer-authentication.yaml');
    const doc = (await openFile(uri)).document;
    const texts = await hoverText(uri, positionOf(doc, 'STRICT', 1));
    assert.deepEqual(texts, [
      '**PeerAuthentication mTLS mode `STRICT`**\n\nThe workload accepts **only** mutual TLS from mesh peers. Plain-text clients (outside the mesh, or without a sidecar) are reset. This does not ask ingress clients for certificates — that is Gateway `tls.mode: MUTUAL`.',
    ]);
  });

  it('hover on a Gateway host lists the VirtualService bound to it', async () => {
    const [text] = await hoverText(gatewayUri, positionOf(gateway, '- frontend.foocorp.com', 4));
    assert.match(text!, /^\*\*Host `frontend\.foocorp\.com`\*\*\n\nRouted by VirtualService:\n\n- \[`foocorp\/frontend`\]\(file:\/\/\/.*\/virtualservices\.yaml#L1\) — virtualservices\.yaml\n/);
  });

  it('a .pem file opens with language pem, and hovering its block describes the certificate', async () => {
    const uri = workspaceFile('frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem');
    const doc = (await openFile(uri)).document;
    assert.equal(doc.languageId, 'pem');
    const [text, ...rest] = await hoverText(uri, new vscode.Position(1, 3));
    assert.equal(rest.length, 0);
    assert.equal(text!.split('\n')[0], '**frontend.foocorp.com/3\\_application/certs/frontend.foocorp.com.cert.pem** · 1 PEM block');
    assert.match(text!, /\*\*frontend\.foocorp\.com\*\*/);
    assert.match(text!, /- SANs: DNS:frontend\.foocorp\.com\n/);
    assert.match(text!, /- Key: RSA 2048 · Signature: RSA PKCS#1 v1\.5 with SHA-256\n/);
  });

  it('CodeLens above each credentialName: resolved status, Copy kubectl command, Show chain', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri, 10)) ?? [];
    const seen = lenses.map((l) => [rangeOf(l.range)[0], l.command?.title, l.command?.command]);
    // The lens and the hover headline come from one status model: the same mark and the same day count.
    const [text] = await hoverText(gatewayUri, positionOf(gateway, 'frontend-credential', 3));
    const headline = /^✅ \*\*frontend-credential\*\* · MUTUAL · 3 certs · expires in (\d+) days$/.exec(text!.split('\n')[0]!);
    assert.ok(headline, `hover headline: ${text!.split('\n')[0]}`);
    const days = headline[1];
    assert.deepEqual(
      seen.filter(([line]) => line === 16),
      [
        [16, `✓ 3 certs · expires in ${days} days`, 'meshtls.showCertificateChain'],
        [16, 'Copy kubectl command', 'meshtls.copyKubectlSecretCommand'],
        [16, 'Show chain', 'meshtls.showCertificateChain'],
      ],
    );
    assert.deepEqual(seen.filter(([line]) => line === 25).map(([, title]) => String(title).replace(/\d+ days/, 'N days')), ['✓ 3 certs · expires in N days', 'Copy kubectl command', 'Show chain']);
    // ✓ is the ok mark of the status model, and every check of this walkthrough passes (no diagnostics, see above).
    for (const l of lenses.filter((x) => x.command?.command === 'meshtls.showCertificateChain' && x.command.title.startsWith('✓'))) assert.equal(l.command!.tooltip, `${l.range.start.line === 16 ? 'frontend' : 'inventory'}-credential: every check passed`);
    assert.equal(lenses.length, 6);
  });

  it('go to definition from a VirtualService gateways entry lands on the Gateway', async () => {
    const vsUri = workspaceFile('virtualservices.yaml');
    const vs = (await openFile(vsUri)).document;
    for (const entry of ['- foocorp-gateway', '- foocorp/foocorp-gateway']) {
      const defs = (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', vsUri, positionOf(vs, entry, entry.length - 3))) ?? [];
      assert.equal(defs.length, 1, entry);
      const d = defs[0]!;
      const link = 'targetUri' in d ? d : { targetUri: d.uri, targetRange: d.range, targetSelectionRange: d.range };
      assert.equal(link.targetUri.fsPath, gatewayUri.fsPath);
      // The whole Gateway document (from its first line to the end of the file), with its metadata.name selected.
      assert.deepEqual(rangeOf(link.targetSelectionRange!), [4, 8, 4, 23]);
      assert.deepEqual(rangeOf(link.targetRange).slice(0, 2), [0, 0]);
    }
  });

  it('completion in a gateways list offers the Gateway and mesh', async () => {
    const vsUri = workspaceFile('virtualservices.yaml');
    const editor = await openFile(vsUri);
    const original = editor.document.getText();
    try {
      // A new, empty list item under the first VirtualService's gateways.
      const at = positionOf(editor.document, '    - foocorp-gateway\n', '    - foocorp-gateway\n'.length);
      assert.equal(await editor.edit((b) => b.insert(at, '    - \n')), true);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', vsUri, at.translate(0, 6));
      // meshtls's own items (snippets come as CompletionItemKind.Snippet and are not ours to check here).
      const labels = list.items
        .filter((i) => i.kind === vscode.CompletionItemKind.Reference || i.kind === vscode.CompletionItemKind.Keyword)
        .map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i.detail]);
      assert.deepEqual(labels, [
        ['foocorp-gateway', 'Gateway foocorp/foocorp-gateway'],
        ['mesh', 'all sidecars in the mesh'],
      ]);
      // The snippets of snippets/istio.json are offered in YAML too.
      const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const name of ['gateway-mutual', 'gateway-simple']) assert.ok(snippets.includes(name), `snippet ${name} missing from ${JSON.stringify(snippets)}`);
    } finally {
      await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), original));
      await editor.document.save();
    }
  });

  it('completion after credentialName: each name says what creates it, and a name nothing creates says so', async () => {
    const editor = await openFile(gatewayUri);
    const original = editor.document.getText();
    try {
      // A misspelt name on the inventory server (unsaved): a Gateway names it, nothing in the workspace creates it.
      const at = original.indexOf('credentialName: inventory-credential') + 'credentialName: inventory-'.length;
      assert.equal(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'credential'.length)), 'credentail')), true);
      // The edit reaches the index with the next lint; ask until the new name is offered (bounded).
      const offered = async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', gatewayUri, positionOf(editor.document, 'credentialName: ', 'credentialName: '.length));
        return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Value).map((i) => [typeof i.label === 'string' ? i.label : i.label.label, i.detail]);
      };
      let ours = await offered();
      for (const deadline = Date.now() + 20_000; !ours.some(([l]) => l === 'inventory-credentail') && Date.now() < deadline; ours = await offered()) await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(ours, [
        ['frontend-credential', 'created by kubectl line in create-secrets.sh'],
        ['inventory-credentail', 'named by Gateway foocorp/foocorp-gateway; nothing in this workspace creates it'],
        ['inventory-credential', 'created by kubectl line in create-secrets.sh'],
      ]);
    } finally {
      await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), original));
      await editor.document.save();
    }
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'the walkthrough to be clean again' });
  });

  it("meshtls.copyKubectlSecretCommand returns the walkthrough's kubectl command and puts it on the clipboard", async () => {
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri)) ?? []).find((l) => l.command?.title === 'Copy kubectl command' && l.range.start.line === 16)!;
    await vscode.env.clipboard.writeText('');
    const text = await vscode.commands.executeCommand<string>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(text, `${FRONTEND_KUBECTL}\n`);
    assert.equal(await vscode.env.clipboard.readText(), `${FRONTEND_KUBECTL}\n`);
    // The same lines create-secrets.sh has.
    const script = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile('create-secrets.sh')));
    assert.ok(script.includes(FRONTEND_KUBECTL), 'create-secrets.sh holds the same command');
  });

  it('meshtls.showCertificateChain returns the chain model: server, intermediate, root, client CA, client, key', async () => {
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri)) ?? []).find((l) => l.command?.title === 'Show chain' && l.range.start.line === 16)!;
    const model = await vscode.commands.executeCommand<ChainModel>(lens.command!.command, ...(lens.command!.arguments ?? []));
    // The panel's title carries the same status mark as the lens and the hover: ✓, every check passed.
    assert.equal(model.title, '✓ frontend-credential · MUTUAL');
    assert.equal(model.subtitle, 'Secret read from namespace istio-system');
    assert.equal(model.empty, undefined);
    assert.deepEqual(model.sources.map((s) => [s.label, s.fileId.endsWith('/create-secrets.sh')]), [['kubectl: kubectl line in create-secrets.sh', true]]);
    assert.deepEqual(
      model.sections.map((s) => [s.heading, s.role, s.status, s.chained ?? false]),
      [
        ['frontend.foocorp.com', 'server certificate', 'ok', false],
        ['frontend.foocorp.com', 'intermediate CA, not served', 'ok', true],
        ['frontend.foocorp.com', 'root CA, not served', 'ok', true],
        ['frontend.foocorp.com', 'client CA', 'ok', false],
        ['frontend.foocorp.com', 'client CA', 'ok', false],
        ['frontend.foocorp.com', 'client certificate', 'ok', false],
        ['Private key', 'frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem', 'ok', false],
      ],
    );
    const leaf = Object.fromEntries(model.sections[0]!.rows);
    assert.equal(leaf.SANs, 'DNS:frontend.foocorp.com');
    assert.equal(leaf.Key, 'RSA 2048');
    assert.equal(leaf.File, 'frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem');
    assert.match(leaf.Subject!, /CN=frontend\.foocorp\.com/);
    assert.deepEqual(Object.fromEntries(model.sections[6]!.rows), { Type: 'RSA 2048', State: 'ok', 'Matches the certificate': 'yes' });
  });

  it('meshtls.runKubectlSecretCommand is declared but never runs a terminal by itself', async () => {
    // Only the command's existence and the absence of terminals are checked here: the command itself asks through a
    // modal dialog before it creates a terminal, which an API-level test cannot answer.
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('meshtls.runKubectlSecretCommand'));
    assert.deepEqual(vscode.window.terminals.map((t) => t.name), []);
  });
});
