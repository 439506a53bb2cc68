// Certificate remedies driven end to end through their quick fixes: each finding is planted in the FooCorp
// walkthrough, the quick fix offered on it is run, openssl (an outside judge, no -partial_chain) verifies what it
// wrote against the unchanged CA, and the finding goes away.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, meshtlsDiagnostics, openFile, waitForDiagnostics, workspaceFile } from '../runner/src/editor';

const H = 'frontend.foocorp.com';
const SERVER = `${H}/3_application/certs/${H}.cert.pem`;
const SERVER_KEY = `${H}/3_application/private/${H}.key.pem`;
const CLIENT = `${H}/4_client/certs/${H}.cert.pem`;
const CLIENT_KEY = `${H}/4_client/private/${H}.key.pem`;
const CHAIN = `${H}/2_intermediate/certs/ca-chain.cert.pem`;
const CA_FILES = [`${H}/1_root/certs/ca.cert.pem`, `${H}/1_root/private/ca.key.pem`, `${H}/2_intermediate/certs/intermediate.cert.pem`, `${H}/2_intermediate/private/intermediate.key.pem`, CHAIN];
const FILES = [SERVER, SERVER_KEY, CLIENT, CLIENT_KEY, 'create-secrets.sh', ...CA_FILES];

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

function openssl(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** The quick fixes VS Code offers on the first diagnostic of `rule` in `uri`, with that diagnostic. */
async function quickFixesOn(uri: vscode.Uri, rule: string): Promise<{ diag: vscode.Diagnostic; actions: vscode.CodeAction[] }> {
  const [diag] = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === rule), { what: `${rule} on ${uri.path.split('/').pop()}` }).then(() => meshtlsDiagnostics(uri).filter((d) => codeOf(d) === rule));
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag!.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  return { diag: diag!, actions };
}

describe('remedies: quick fixes for certificate findings, judged by openssl', { workspace: 'foocorp' }, () => {
  const saved = new Map<string, Uint8Array>();
  let gatewayUri: vscode.Uri;
  let cwd: string;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    cwd = workspaceFile('.').fsPath;
    for (const f of FILES) saved.set(f, await vscode.workspace.fs.readFile(workspaceFile(f)));
    await openFile(gatewayUri);
  });

  /** Puts the walkthrough back exactly (other suites read the same workspace) and waits for it to be clean again. */
  async function restore(): Promise<void> {
    for (const [f, bytes] of saved) await vscode.workspace.fs.writeFile(workspaceFile(f), bytes);
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'the walkthrough to be clean again' });
  }

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await restore();
    await closeAllEditors();
  });

  /** The CA files are byte for byte what they were: a re-issue never replaces the root clients trust. */
  async function caUntouched(): Promise<void> {
    for (const ca of CA_FILES) assert.deepEqual(await vscode.workspace.fs.readFile(workspaceFile(ca)), saved.get(ca), `${ca} is untouched`);
  }

  it('cert-host-mismatch offers the re-issue (not preferred); it keeps the CA, writes no CSR the tree has no folder for, openssl verifies, the finding clears', async () => {
    const editor = await openFile(gatewayUri);
    const at = editor.document.getText().indexOf(`- ${H}`);
    await editor.edit((b) => b.insert(editor.document.positionAt(at + `- ${H}`.length), '\n        - admin.foocorp.com'));
    const { actions } = await quickFixesOn(gatewayUri, 'cert-host-mismatch');
    const remedy = actions.find((a) => a.title.startsWith('Re-issue the server certificate from the existing CA'));
    assert.ok(remedy, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(!remedy.isPreferred);
    assert.equal(remedy.command?.command, 'meshtls.reissueServerCertificate');
    const written = await vscode.commands.executeCommand<string[]>(remedy.command!.command, { ...(remedy.command!.arguments![0] as object), confirm: true, passphrase: 'secretpass' });
    // The certificate and its new key; examples/foocorp keeps no 3_application/csr folder, so no CSR appears.
    assert.deepEqual(written?.map((p) => p.slice(cwd.length + 1)).sort(), [SERVER, SERVER_KEY].sort());
    assert.equal(existsSync(join(cwd, H, '3_application', 'csr')), false);
    await waitForDiagnostics(gatewayUri, (ds) => !ds.some((d) => codeOf(d).startsWith('cert-') || codeOf(d).startsWith('key-')), { what: 'no certificate finding after the re-issue' });
    const verify = openssl(['verify', '-purpose', 'sslserver', '-CAfile', CHAIN, SERVER], cwd);
    assert.equal(verify.status, 0, verify.out);
    assert.match(openssl(['x509', '-in', SERVER, '-noout', '-ext', 'subjectAltName'], cwd).out, /DNS:frontend\.foocorp\.com, DNS:admin\.foocorp\.com/);
    // The new key is the certificate's (openssl compares the public keys).
    assert.equal(openssl(['x509', '-in', SERVER, '-noout', '-pubkey'], cwd).out, openssl(['pkey', '-in', SERVER_KEY, '-pubout'], cwd).out);
    await caUntouched();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await restore();
  }, { timeoutMs: 90_000 });

  it('cert-expired on the server certificate: the quick fix renews it from the existing CA, openssl verifies, the finding clears', async () => {
    // An expired server certificate for the same key and name, signed by the tree's intermediate (`openssl ca` sets
    // dates in the past).
    const dir = mkdtempSync(join(tmpdir(), 'meshtls-expired-'));
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '1000\n');
    writeFileSync(join(dir, 'ca.cnf'), `[ca]\ndefault_ca = d\n[d]\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = p\ncopy_extensions = copy\nunique_subject = no\n[p]\ncommonName = supplied\n[v3]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n`);
    let r = openssl(['req', '-new', '-key', SERVER_KEY, '-subj', `/CN=${H}`, '-addext', `subjectAltName=DNS:${H}`, '-out', join(dir, 'req.pem')], cwd);
    assert.equal(r.status, 0, r.out);
    r = openssl(['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-extensions', 'v3', '-cert', `${H}/2_intermediate/certs/intermediate.cert.pem`, '-keyfile', `${H}/2_intermediate/private/intermediate.key.pem`, '-passin', 'pass:secretpass', '-startdate', '20260101000000Z', '-enddate', '20260301000000Z', '-notext', '-in', join(dir, 'req.pem'), '-out', join(dir, 'expired.pem')], cwd);
    assert.equal(r.status, 0, r.out);
    await vscode.workspace.fs.writeFile(workspaceFile(SERVER), readFileSync(join(dir, 'expired.pem')));
    // openssl agrees it is expired.
    assert.match(openssl(['verify', '-CAfile', CHAIN, SERVER], cwd).out, /certificate has expired/);
    const { actions } = await quickFixesOn(gatewayUri, 'cert-expired');
    const remedy = actions.find((a) => a.title.startsWith('Re-issue the server certificate from the existing CA'));
    assert.ok(remedy, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    await vscode.commands.executeCommand<string[]>(remedy.command!.command, { ...(remedy.command!.arguments![0] as object), confirm: true, passphrase: 'secretpass' });
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'cert-expired to clear after the renewal' });
    const verify = openssl(['verify', '-purpose', 'sslserver', '-CAfile', CHAIN, SERVER], cwd);
    assert.equal(verify.status, 0, verify.out);
    // 375 days from today, the walkthrough's leaf validity.
    const end = new Date(/notAfter=(.*)/.exec(openssl(['x509', '-in', SERVER, '-noout', '-enddate'], cwd).out)![1]!);
    assert.ok(Math.abs(end.getTime() - Date.now() - 375 * 86_400_000) < 2 * 86_400_000, end.toISOString());
    await caUntouched();
    await restore();
  }, { timeoutMs: 90_000 });

  it('client-ca-mismatch for a client signed elsewhere: the quick fix re-issues the client certificate from the tree\'s CA, openssl verifies it as a client, the finding clears', async () => {
    // A self-signed client certificate and key in the tree's 4_client: the credential's CA bundle does not verify it.
    const dir = mkdtempSync(join(tmpdir(), 'meshtls-client-'));
    const r = openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/O=Elsewhere/CN=${H} client`, '-days', '30', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], cwd);
    assert.equal(r.status, 0, r.out);
    await vscode.workspace.fs.writeFile(workspaceFile(CLIENT), readFileSync(join(dir, 'c.pem')));
    await vscode.workspace.fs.writeFile(workspaceFile(CLIENT_KEY), readFileSync(join(dir, 'k.pem')));
    assert.notEqual(openssl(['verify', '-CAfile', CHAIN, CLIENT], cwd).status, 0);
    const { actions } = await quickFixesOn(gatewayUri, 'client-ca-mismatch');
    const remedy = actions.find((a) => a.title.startsWith('Re-issue the client certificate'));
    assert.ok(remedy, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(remedy.command?.command, 'meshtls.reissueClientCertificate');
    const written = await vscode.commands.executeCommand<string[]>(remedy.command!.command, { ...(remedy.command!.arguments![0] as object), confirm: true, passphrase: 'secretpass' });
    assert.deepEqual(written?.map((p) => p.slice(cwd.length + 1)).sort(), [CLIENT, CLIENT_KEY].sort());
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'client-ca-mismatch to clear after the re-issue' });
    const verify = openssl(['verify', '-purpose', 'sslclient', '-CAfile', CHAIN, CLIENT], cwd);
    assert.equal(verify.status, 0, verify.out);
    assert.equal(openssl(['x509', '-in', CLIENT, '-noout', '-pubkey'], cwd).out, openssl(['pkey', '-in', CLIENT_KEY, '-pubout'], cwd).out);
    await caUntouched();
    await restore();
  }, { timeoutMs: 90_000 });

  it('mutual-without-ca on a kubectl line without cacert: the quick fix adds the tree\'s CA chain to the line, and the finding clears', async () => {
    const script = workspaceFile('create-secrets.sh');
    const original = new TextDecoder().decode(saved.get('create-secrets.sh'));
    const cacert = ` \\\n  --from-file=cacert=${CHAIN}`;
    assert.ok(original.includes(cacert));
    await vscode.workspace.fs.writeFile(script, new TextEncoder().encode(original.replace(cacert, '')));
    const { actions } = await quickFixesOn(gatewayUri, 'mutual-without-ca');
    const remedy = actions.find((a) => a.title.startsWith('Add the client CA'));
    assert.ok(remedy?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(remedy.title, `Add the client CA ${CHAIN} to the kubectl line (--from-file=cacert)`);
    assert.equal(await vscode.workspace.applyEdit(remedy.edit), true);
    const doc = await vscode.workspace.openTextDocument(script);
    await doc.save();
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'mutual-without-ca to clear after the edit' });
    // The line is the walkthrough's again, character for character.
    assert.equal(doc.getText(), original);
    await closeAllEditors();
    await restore();
  }, { timeoutMs: 90_000 });

  it('a glued PEM file: the credential reports pem-malformed, and the PEM file itself gets the squiggle on the glued BEGIN', async () => {
    const chainUri = workspaceFile(CHAIN);
    const text = new TextDecoder().decode(saved.get(CHAIN));
    const glued = text.replace('-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE----------BEGIN CERTIFICATE-----');
    assert.notEqual(glued, text);
    await vscode.workspace.fs.writeFile(chainUri, new TextEncoder().encode(glued));
    await waitForDiagnostics(gatewayUri, (ds) => ds.some((d) => codeOf(d) === 'pem-malformed'), { what: 'pem-malformed on the credential' });
    const [d, ...rest] = (await waitForDiagnostics(chainUri, (ds) => ds.some((x) => codeOf(x) === 'pem-malformed'), { what: 'pem-malformed in the PEM file' })).filter((x) => codeOf(x) === 'pem-malformed');
    assert.equal(rest.length, 0);
    const line = glued.split('\n').findIndex((l) => l.includes('----------BEGIN'));
    const col = glued.split('\n')[line]!.indexOf('-----BEGIN');
    assert.deepEqual([d!.range.start.line, d!.range.start.character], [line, col]);
    assert.equal(d!.message, '"-----BEGIN CERTIFICATE-----" follows the previous block\'s END line without a newline.');
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d!.source, 'meshtls');
    // It points back at the credential that loads the file.
    assert.deepEqual(d!.relatedInformation?.map((r) => r.location.uri.fsPath), [gatewayUri.fsPath]);
    await restore();
    await waitForDiagnostics(chainUri, (ds) => ds.length === 0, { what: 'the PEM file to be clean again' });
  }, { timeoutMs: 90_000 });

  it('Generate PKI Tree gives a new tree the organization of the workspace\'s trees (O=Dis), not O=meshtls; openssl verifies it', async () => {
    const out = join(cwd, 'new-pki');
    const host = 'admin.foocorp.com';
    try {
      const written = await vscode.commands.executeCommand<string[]>('meshtls.generatePkiTree', { hosts: [host], profile: 'ecdsa', outDir: out, overwrite: false });
      assert.ok(written?.length, 'nothing written');
      const tree = join(out, host);
      for (const [file, cn] of [['1_root/certs/ca.cert.pem', undefined], ['2_intermediate/certs/intermediate.cert.pem', undefined], [`3_application/certs/${host}.cert.pem`, host], [`4_client/certs/${host}.cert.pem`, `${host} client`]] as const) {
        const subject = openssl(['x509', '-in', join(tree, file), '-noout', '-subject'], cwd).out.trim();
        assert.match(subject, /^subject=O = Dis, CN = /, file);
        if (cn) assert.equal(subject, `subject=O = Dis, CN = ${cn}`);
      }
      for (const leaf of [`3_application/certs/${host}.cert.pem`, `4_client/certs/${host}.cert.pem`]) {
        const v = openssl(['verify', '-CAfile', join(tree, '1_root/certs/ca.cert.pem'), '-untrusted', join(tree, '2_intermediate/certs/intermediate.cert.pem'), join(tree, leaf)], cwd);
        assert.equal(v.status, 0, v.out);
      }
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.file(out), { recursive: true });
    }
    await waitForDiagnostics(gatewayUri, (ds) => ds.length === 0, { what: 'the walkthrough to stay clean' });
  }, { timeoutMs: 90_000 });
});
