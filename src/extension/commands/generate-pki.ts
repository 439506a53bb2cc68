import * as vscode from 'vscode';
import * as path from 'node:path';
import { planPki, generatePki, type PkiProfile } from '../../core/pki';
import { isValidHost } from '../../core/pki/layout';
import { renderSecret, defaultCredentialName } from '../../core/kubectl/secret';
import { queryAt } from '../../core/index/query';
import { gatewayServers, gatewaySelector } from '../../core/istio/gateway';
import { certificateRefs, frontendValidation, listenersOf } from '../../core/istio/gateway-api';
import { gatewayHostName } from '../../core/istio/references';
import { gatewayWorkloadNamespace } from '../../core/config';
import { existingPaths, writeTreeAtomically } from '../../node/write-tree';
import { fileIdOf, type WorkspaceService } from '../workspace-service';
import { credentialIndex } from '../../core/index/credentials';
import { X509Certificate } from 'node:crypto';

export interface GeneratePkiArgs {
  /** Hosts to generate for, skipping the hosts prompt; when absent they are asked for. */
  hosts?: string[];
  /** Hosts to pre-fill the prompt with (the Credentials view passes the credential's); else the Gateway's under the cursor. */
  defaultHosts?: string[];
  /** Skip the prompts (used by CodeLens actions and tests): profile and destination folder. */
  profile?: PkiProfile;
  outDir?: string;
  sharedCa?: boolean;
  overwrite?: boolean;
  /** Subject O of the new certificates; by default the organization of the workspace's existing trees. */
  organization?: string;
}

/**
 * The organization (subject O) the workspace's PKI trees already use, read from their roots, so a new tree looks
 * like its neighbours instead of saying "meshtls"; the most common one when they differ, undefined when none has O.
 */
export function workspaceOrganization(ws: WorkspaceService): string | undefined {
  const count = new Map<string, number>();
  for (const tree of credentialIndex(ws.index, ws.config).trees) {
    const bytes = ws.index.otherFiles.get(tree.rootCert)?.bytes;
    if (!bytes) continue;
    try {
      const o = new X509Certificate(Buffer.from(bytes)).subject.split('\n').find((l) => l.startsWith('O='))?.slice(2);
      if (o) count.set(o, (count.get(o) ?? 0) + 1);
    } catch {
      // A root that does not parse says nothing about the organization; its own findings report it.
    }
  }
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

interface CursorHosts {
  hosts: string[];
  /** Host → the Secret a server or listener names for it, and (Gateway API) the namespace it is read in. */
  credentialNames: Map<string, string>;
  namespaces: Map<string, string>;
  namespace?: string;
  /** Set for a Gateway API Gateway: offer `secret tls` + the CA ConfigMap its client validation names. */
  gatewayApi?: { caConfigMap?: string; caNamespace?: string };
}

/** Hosts of the Gateway server (or Gateway API listener) under the cursor, or of the whole Gateway; wildcards and `ns/` prefixes removed. */
function hostsAtCursor(ws: WorkspaceService): CursorHosts {
  const editor = vscode.window.activeTextEditor;
  const empty: CursorHosts = { hosts: [], credentialNames: new Map(), namespaces: new Map() };
  if (!editor) return empty;
  const q = queryAt(ws.index, fileIdOf(editor.document.uri), editor.document.offsetAt(editor.selection.active));
  const isGw = (k: string) => k === 'Gateway' || k === 'K8sGateway';
  const gw = q?.resource && isGw(q.resource.kind) ? q.resource : ws.index.yamlFiles.get(fileIdOf(editor.document.uri))?.resources.find((r) => isGw(r.kind));
  if (!gw) return empty;
  const hosts: string[] = [];
  const credentialNames = new Map<string, string>();
  const namespaces = new Map<string, string>();
  if (gw.kind === 'K8sGateway') {
    const listenerIndex = q?.resource === gw && q.resourcePath[1] === 'listeners' && typeof q.resourcePath[2] === 'number' ? q.resourcePath[2] : undefined;
    let caConfigMap: string | undefined;
    let caNamespace: string | undefined;
    for (const l of listenersOf(gw).filter((x) => listenerIndex === undefined || x.index === listenerIndex)) {
      const h = l.hostname;
      if (!h || !isValidHost(h) || hosts.includes(h)) continue;
      hosts.push(h);
      const ref = certificateRefs(l)[0];
      if (ref?.name) {
        credentialNames.set(h, ref.name);
        namespaces.set(h, ref.namespace ?? gw.namespace);
      }
      const ca = frontendValidation(gw, l.port)?.refs[0];
      if (ca?.kind === 'ConfigMap' && ca.name && !caConfigMap) {
        caConfigMap = ca.name;
        caNamespace = ca.namespace ?? gw.namespace;
      }
    }
    return { hosts, credentialNames, namespaces, namespace: gw.namespace, gatewayApi: { caConfigMap, caNamespace } };
  }
  const serverIndex = q?.resource === gw && q.resourcePath[1] === 'servers' && typeof q.resourcePath[2] === 'number' ? q.resourcePath[2] : undefined;
  const servers = gatewayServers(gw).filter((s) => serverIndex === undefined || s.index === serverIndex);
  for (const s of servers) {
    for (const h of s.hosts.map(gatewayHostName)) {
      if (!isValidHost(h) || hosts.includes(h)) continue;
      hosts.push(h);
      if (typeof s.tls?.credentialName === 'string') credentialNames.set(h, s.tls.credentialName);
    }
  }
  return { hosts, credentialNames, namespaces, namespace: gatewayWorkloadNamespace(ws.config, gatewaySelector(gw), gw.namespace) };
}

/**
 * *Generate PKI Tree…*: asks for hosts (pre-filled from the Gateway), key profile and destination; refuses to
 * overwrite without confirmation; generates with a progress notification; writes atomically; reveals the result and
 * offers the kubectl commands.
 */
export function registerGeneratePki(context: vscode.ExtensionContext, ws: WorkspaceService, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.generatePkiTree', async (arg: GeneratePkiArgs | { use?: { server: { hosts: string[] } } } = {}) => {
      // From the Credentials view the argument is the tree node: pre-fill the prompt with that credential's hosts.
      const args: GeneratePkiArgs = 'use' in arg && arg.use ? { defaultHosts: arg.use.server.hosts.map(gatewayHostName).filter(isValidHost) } : (arg as GeneratePkiArgs);
      try {
        return await generate(ws, log, args);
      } catch (err) {
        log.error(err as Error);
        void vscode.window.showErrorMessage(`meshtls: could not generate the PKI tree: ${(err as Error).message}`);
        return undefined;
      }
    }),
  );
}

async function generate(ws: WorkspaceService, log: vscode.LogOutputChannel, args: GeneratePkiArgs): Promise<string[] | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('meshtls: open a folder first; the PKI tree is written into the workspace.');
    return undefined;
  }
  const cursor = hostsAtCursor(ws);
  let hosts = args.hosts;
  if (!hosts) {
    const input = await vscode.window.showInputBox({
      title: 'Generate PKI Tree (1/3): hosts',
      prompt: 'Host names, separated by spaces or commas. One root → intermediate → server + client tree per host.',
      value: (args.defaultHosts ?? cursor.hosts).join(' '),
      placeHolder: 'frontend.foocorp.com inventory.foocorp.com',
      validateInput: (v) => {
        const list = v.split(/[\s,]+/).filter(Boolean);
        if (list.length === 0) return 'Enter at least one host name.';
        const bad = list.find((h) => !isValidHost(h));
        return bad ? `"${bad}" is not a plain DNS name (no wildcards, ports or paths).` : undefined;
      },
    });
    if (input === undefined) return undefined;
    hosts = input.split(/[\s,]+/).filter(Boolean);
  }
  let profile = args.profile;
  if (!profile) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'ECDSA P-256', description: 'fast, modern', detail: 'P-256 keys for every certificate; generated in milliseconds.', profile: 'ecdsa' as const },
        { label: 'RSA (walkthrough sizes)', description: '4096-bit CAs, 2048-bit leaves', detail: 'The key sizes of the Istio secure-ingress walkthrough; takes a few seconds.', profile: 'rsa' as const },
      ],
      { title: 'Generate PKI Tree (2/3): key profile', placeHolder: 'Key algorithm and sizes' },
    );
    if (!pick) return undefined;
    profile = pick.profile;
  }
  let outDir = args.outDir;
  if (!outDir) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: `$(folder) ${path.basename(folder.uri.fsPath)}`, description: 'workspace root', dir: folder.uri.fsPath },
        // Offered only when it is another folder: for a Gateway at the root it would repeat the first entry, under
        // an absolute path (asRelativePath of the folder itself).
        ...(vscode.window.activeTextEditor?.document.uri.scheme === 'file' && path.dirname(vscode.window.activeTextEditor.document.uri.fsPath) !== folder.uri.fsPath
          ? [{ label: `$(folder) ${vscode.workspace.asRelativePath(path.dirname(vscode.window.activeTextEditor.document.uri.fsPath))}`, description: "next to the Gateway's file", dir: path.dirname(vscode.window.activeTextEditor.document.uri.fsPath) }]
          : []),
        { label: '$(folder-opened) Choose a folder…', description: '', dir: '' },
      ],
      { title: 'Generate PKI Tree (3/3): destination', placeHolder: 'Where the <host>/1_root … 4_client folders go' },
    );
    if (!pick) return undefined;
    outDir = pick.dir;
    if (!outDir) {
      const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: folder.uri, openLabel: 'Generate here' });
      if (!chosen?.[0]) return undefined;
      outDir = chosen[0].fsPath;
    }
  }
  const now = new Date();
  const organization = args.organization ?? workspaceOrganization(ws);
  const plan = planPki({ hosts, profile, sharedCa: args.sharedCa, organization, now });
  const existing = existingPaths(outDir, plan.paths);
  let overwrite = args.overwrite ?? false;
  if (existing.length > 0 && !overwrite) {
    const answer = await vscode.window.showWarningMessage(
      `${existing.length} of the ${plan.paths.length} files already exist (for example ${existing[0]}). Overwrite them? Existing keys and certificates will be replaced.`,
      { modal: true },
      'Overwrite',
    );
    if (answer !== 'Overwrite') return undefined;
    overwrite = true;
  }
  const tree = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `meshtls: generating ${profile.toUpperCase()} PKI for ${hosts.join(', ')}`, cancellable: false },
    async (progress) => {
      let last = 0;
      return generatePki({
        hosts,
        profile,
        sharedCa: args.sharedCa,
        organization,
        now,
        onProgress: (e) => {
          const pct = Math.round((e.done / e.total) * (e.phase === 'keys' ? 70 : 30)) + (e.phase === 'keys' ? 0 : 70);
          progress.report({ increment: Math.max(0, pct - last), message: e.phase === 'keys' ? `keys ${e.done}/${e.total}` : `signing ${e.done}/${e.total}` });
          last = Math.max(last, pct);
        },
      });
    },
  );
  writeTreeAtomically({ outDir, files: tree.files, force: overwrite, holdSignals: false });
  log.info(`wrote ${tree.files.length} PKI files under ${outDir} for ${hosts.join(', ')}`);
  const written = tree.files.map((f) => path.join(outDir, f.path));
  const firstCert = tree.hosts[0] ? vscode.Uri.file(path.join(outDir, tree.hosts[0].paths.serverCert)) : undefined;
  // Showing the files is a courtesy: a reveal that fails must not keep the new tree out of the index.
  if (firstCert) await Promise.resolve(vscode.commands.executeCommand('revealInExplorer', firstCert)).catch((err: Error) => log.warn(`could not reveal ${firstCert.fsPath}: ${err.message}`));
  // Read the new files now: the credentials resolve (and their warnings go) before the command returns, whatever the
  // file watcher reports for the renamed folder. Only after the reveal: it moves focus from the Gateway's editor to
  // the explorer, and the editor drops a CodeLens refresh still pending when it loses focus (it runs that refresh on
  // a timer of at least 250 ms, cancelled on blur). A lint fired before the reveal left the lens saying "file not
  // found" until the editor was clicked again, unless a file-watcher event happened to re-lint after the focus moved.
  await ws.refresh(written.map((p) => vscode.Uri.file(p)));
  const commands = tree.hosts.map((h, i) => {
    const rel = (p: string) => path.relative(folder.uri.fsPath, path.join(outDir, p)).split(path.sep).join('/');
    // One CA ConfigMap validates every listener on the port: it is created once, and the other hosts' chains must
    // join its ca.crt bundle (kubectl cannot concatenate files), which the comment says.
    if (cursor.gatewayApi?.caConfigMap && i > 0) {
      const secret = renderSecret({ name: cursor.credentialNames.get(h.host) ?? defaultCredentialName(h.host), namespace: cursor.namespaces.get(h.host) ?? cursor.namespace, format: 'gateway-api', files: { cert: rel(h.paths.serverCert), key: rel(h.paths.serverKey) } }).text;
      return `${secret}# add ${rel(h.paths.chain)} to the ca.crt bundle of ConfigMap ${cursor.gatewayApi.caConfigMap}\n`;
    }
    // For a Gateway API Gateway: `secret tls` in the namespace the listener reads, and the CA ConfigMap it validates
    // clients with (named by spec.tls.frontend, else `<name>-ca`).
    return renderSecret({
      name: cursor.credentialNames.get(h.host) ?? defaultCredentialName(h.host),
      namespace: cursor.namespaces.get(h.host) ?? cursor.namespace,
      format: cursor.gatewayApi ? 'gateway-api' : 'kubectl',
      caConfigMap: cursor.gatewayApi?.caConfigMap,
      caNamespace: cursor.gatewayApi ? cursor.gatewayApi.caNamespace ?? cursor.namespace : undefined,
      files: { cert: rel(h.paths.serverCert), key: rel(h.paths.serverKey), cacert: rel(h.paths.chain) },
    }).text;
  });
  void vscode.window.showInformationMessage(`meshtls: PKI tree written for ${hosts.join(', ')} (${tree.files.length} files).`, 'Copy kubectl Commands').then(async (choice) => {
    if (choice) {
      await vscode.env.clipboard.writeText(commands.join('\n'));
      void vscode.window.showInformationMessage('meshtls: kubectl commands copied (run them from the workspace root).');
    }
  });
  // The offered commands travel with the file list, so callers (and tests) see what Copy kubectl Commands copies.
  return Object.assign(written, { commands });
}

