import * as vscode from 'vscode';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { credentialIndex, type CredentialUse, type PkiTree } from '../../core/index/credentials';
import { reissueLeaf, ReissueError } from '../../core/pki/reissue';
import { DEFAULT_DAYS } from '../../core/pki/generate';
import { writeTreeAtomically } from '../../node/write-tree';
import { uriOf, type WorkspaceService } from '../workspace-service';
import { pickUse } from '../credentials-model';

/** The walkthrough tree a credential's server certificate belongs to, if any: the CA a re-issue signs with. */
export function treeOf(ws: WorkspaceService, use: CredentialUse): PkiTree | undefined {
  const r = use.resolution;
  if (r.source?.tree) return r.source.tree;
  const cert = r.cert;
  if (!cert || cert.inline) return undefined;
  return credentialIndex(ws.index, ws.config).trees.find((t) => t.cert === cert.fileId);
}

/** The names the new certificate needs: the old one's SANs plus every host of the Gateway server (namespace cut). */
export function namesFor(use: CredentialUse, previous: string | undefined): string[] {
  const old = previous ? (new X509Certificate(previous).subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:') || s.startsWith('IP Address:')).map((s) => s.slice(s.indexOf(':') + 1)) : [];
  const hosts = use.server.hosts.map((h) => h.slice(h.indexOf('/') + 1)).filter((h) => h !== '*');
  return [...new Set([...old, ...hosts])];
}

interface ReissueArgs {
  span?: unknown;
  /** Client role: which client certificate of the tree (its file id); the first one when absent. */
  clientCert?: string;
  /** Tests and scripted use: skip the confirmation, give the CA passphrase. */
  confirm?: boolean;
  passphrase?: string;
}

type Role = 'server' | 'client';

/** The leaf a re-issue replaces: the tree's server certificate, or one of its client certificates. */
function leafOf(tree: PkiTree, role: Role, clientCert: string | undefined): { cert: string; key: string } | undefined {
  if (role === 'server') return { cert: tree.cert, key: tree.key };
  return tree.clients.find((c) => c.cert === clientCert) ?? tree.clients[0];
}

async function isDirectory(id: string): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uriOf(id))).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

/**
 * Re-issues a leaf of a walkthrough tree from the tree's existing intermediate — clients keep trusting the same root —
 * after saying exactly which files it replaces, and writes them atomically. The remedy for cert-host-mismatch,
 * cert-expired / cert-expiring-soon and key-cert-mismatch on the server certificate (role `server`), and for a client
 * certificate that the tree's own CA bundle no longer verifies (role `client`, client-ca-mismatch).
 */
async function reissue(ws: WorkspaceService, log: vscode.LogOutputChannel, role: Role, arg: ReissueArgs | undefined): Promise<string[] | undefined> {
  const use = await pickUse(ws, arg, `Re-issue the ${role} certificate of which credential?`);
  if (!use) return undefined;
  const tree = treeOf(ws, use);
  const leaf = tree && leafOf(tree, role, arg?.clientCert);
  if (!tree || !leaf) {
    void vscode.window.showWarningMessage(`meshtls: the ${role} certificate of "${use.name}" is not in a PKI tree whose CA meshtls can sign with.`, 'Generate PKI Tree…').then((c) => c && vscode.commands.executeCommand('meshtls.generatePkiTree', { hosts: namesFor(use, undefined) }));
    return undefined;
  }
  const read = async (id: string) => Buffer.from(await vscode.workspace.fs.readFile(uriOf(id))).toString('utf8');
  const keyId = `${tree.dir}/2_intermediate/private/intermediate.key.pem`;
  let issuerCert: string, issuerKey: string, previous: string | undefined;
  try {
    [issuerCert, issuerKey] = await Promise.all([read(tree.intermediateCert), read(keyId)]);
    previous = await read(leaf.cert).catch(() => undefined);
  } catch (err) {
    void vscode.window.showErrorMessage(`meshtls: cannot read the tree's intermediate CA: ${(err as Error).message}`);
    return undefined;
  }
  // A server certificate must cover every host of the server; a client certificate keeps the names it had.
  const names = role === 'server' ? namesFor(use, previous) : previousNames(previous, tree.host);
  const caName = new X509Certificate(issuerCert).subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'intermediate CA';
  const rel = (id: string) => vscode.workspace.asRelativePath(uriOf(id));
  // The walkthrough keeps each leaf's signing request beside it (3_application/csr, 4_client/csr); a tree without
  // that folder (examples/foocorp ships none) gets none, so a re-issue writes exactly the files it replaces.
  const leafDir = role === 'server' ? '3_application' : '4_client';
  const csrDir = `${tree.dir}/${leafDir}/csr`;
  const csr = (await isDirectory(csrDir)) ? `${leafDir}/csr/${path.basename(leaf.cert).replace(/\.cert\.pem$/, '')}.csr.pem` : undefined;
  if (arg?.confirm !== true) {
    const go = await vscode.window.showWarningMessage(
      `Re-issue the ${role} certificate of "${use.name}" for ${names.join(', ')}?`,
      { modal: true, detail: `Signed by the existing "${caName}" (${rel(tree.intermediateCert)}); the root and intermediate stay as they are, so ${role === 'server' ? 'clients keep trusting it' : 'the gateway keeps trusting it'}.\n\nReplaces ${rel(leaf.cert)} and ${rel(leaf.key)} (a new key)${csr ? ` and its signing request ${rel(`${tree.dir}/${csr}`)}` : ''}.` },
      'Re-issue',
    );
    if (go !== 'Re-issue') return undefined;
  }
  let passphrase = arg?.passphrase;
  if (passphrase === undefined && issuerKey.includes('ENCRYPTED')) {
    passphrase = await vscode.window.showInputBox({ password: true, prompt: `Passphrase of ${rel(keyId)}`, ignoreFocusOut: true });
    if (passphrase === undefined) return undefined;
  }
  const relToTree = (id: string) => path.relative(tree.dir, id).split(path.sep).join('/');
  try {
    const { files } = await reissueLeaf({
      role,
      issuerCert,
      issuerKey,
      issuerKeyPassphrase: passphrase,
      previous,
      commonName: role === 'server' ? tree.host : `${tree.host} client`,
      names,
      days: DEFAULT_DAYS.leaf,
      now: new Date(),
      paths: { cert: relToTree(leaf.cert), key: relToTree(leaf.key), csr },
    });
    writeTreeAtomically({ outDir: tree.dir, files, force: true, holdSignals: false });
    const written = files.map((f) => path.join(tree.dir, f.path));
    await ws.refresh(written.map((p) => vscode.Uri.file(p)));
    log.info(`re-issued ${rel(leaf.cert)} for ${names.join(', ')} from ${rel(tree.intermediateCert)}`);
    void vscode.window.showInformationMessage(`meshtls: re-issued the ${role} certificate of "${use.name}" for ${names.join(', ')}.`);
    return written;
  } catch (err) {
    if (err instanceof ReissueError) void vscode.window.showErrorMessage(`meshtls: ${err.message}`);
    else {
      log.error(err as Error);
      void vscode.window.showErrorMessage(`meshtls: re-issuing failed: ${(err as Error).message}`);
    }
    return undefined;
  }
}

/** The DNS and IP SANs of a certificate, or the tree's host when it has none. */
function previousNames(previous: string | undefined, host: string): string[] {
  const old = previous ? (new X509Certificate(previous).subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:') || s.startsWith('IP Address:')).map((s) => s.slice(s.indexOf(':') + 1)) : [];
  return old.length ? old : [host];
}

/** meshtls.reissueServerCertificate and meshtls.reissueClientCertificate. */
export function registerReissueLeaf(context: vscode.ExtensionContext, ws: WorkspaceService, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.reissueServerCertificate', (arg?: ReissueArgs) => reissue(ws, log, 'server', arg)),
    vscode.commands.registerCommand('meshtls.reissueClientCertificate', (arg?: ReissueArgs) => reissue(ws, log, 'client', arg)),
  );
}
