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
  /** Tests and scripted use: skip the confirmation, give the CA passphrase. */
  confirm?: boolean;
  passphrase?: string;
}

/**
 * meshtls.reissueServerCertificate: the remedy for cert-host-mismatch, cert-expired / cert-expiring-soon on the server
 * certificate and key-cert-mismatch. Signs a new server certificate and key with the tree's existing intermediate —
 * clients keep trusting the same root — after saying exactly which files it replaces, and writes them atomically.
 */
export function registerReissueLeaf(context: vscode.ExtensionContext, ws: WorkspaceService, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.reissueServerCertificate', async (arg?: ReissueArgs) => {
      const use = await pickUse(ws, arg, 'Re-issue the server certificate of which credential?');
      if (!use) return undefined;
      const tree = treeOf(ws, use);
      if (!tree) {
        void vscode.window.showWarningMessage(`meshtls: the server certificate of "${use.name}" is not in a PKI tree whose CA meshtls can sign with.`, 'Generate PKI Tree…').then((c) => c && vscode.commands.executeCommand('meshtls.generatePkiTree', { hosts: namesFor(use, undefined) }));
        return undefined;
      }
      const read = async (id: string) => Buffer.from(await vscode.workspace.fs.readFile(uriOf(id))).toString('utf8');
      const keyId = `${tree.dir}/2_intermediate/private/intermediate.key.pem`;
      let issuerCert: string, issuerKey: string, previous: string | undefined;
      try {
        [issuerCert, issuerKey] = await Promise.all([read(tree.intermediateCert), read(keyId)]);
        previous = await read(tree.cert).catch(() => undefined);
      } catch (err) {
        void vscode.window.showErrorMessage(`meshtls: cannot read the tree's intermediate CA: ${(err as Error).message}`);
        return undefined;
      }
      const names = namesFor(use, previous);
      const caName = new X509Certificate(issuerCert).subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'intermediate CA';
      const rel = (id: string) => vscode.workspace.asRelativePath(uriOf(id));
      if (arg?.confirm !== true) {
        const go = await vscode.window.showWarningMessage(
          `Re-issue the server certificate of "${use.name}" for ${names.join(', ')}?`,
          { modal: true, detail: `Signed by the existing "${caName}" (${rel(tree.intermediateCert)}); the root and intermediate stay as they are, so clients keep trusting it.\n\nReplaces ${rel(tree.cert)} and ${rel(tree.key)} (a new key).` },
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
          role: 'server',
          issuerCert,
          issuerKey,
          issuerKeyPassphrase: passphrase,
          previous,
          commonName: tree.host,
          names,
          days: DEFAULT_DAYS.leaf,
          now: new Date(),
          paths: { cert: relToTree(tree.cert), key: relToTree(tree.key), csr: `3_application/csr/${tree.host}.csr.pem` },
        });
        writeTreeAtomically({ outDir: tree.dir, files, force: true, holdSignals: false });
        const written = files.map((f) => path.join(tree.dir, f.path));
        await ws.refresh(written.map((p) => vscode.Uri.file(p)));
        log.info(`re-issued ${rel(tree.cert)} for ${names.join(', ')} from ${rel(tree.intermediateCert)}`);
        void vscode.window.showInformationMessage(`meshtls: re-issued the server certificate of "${use.name}" for ${names.join(', ')}.`);
        return written;
      } catch (err) {
        if (err instanceof ReissueError) void vscode.window.showErrorMessage(`meshtls: ${err.message}`);
        else {
          log.error(err as Error);
          void vscode.window.showErrorMessage(`meshtls: re-issuing failed: ${(err as Error).message}`);
        }
        return undefined;
      }
    }),
  );
}
