// The Credentials view (meshtls.credentials in the explorer), read through the real TreeDataProvider that meshtls
// exports for tests: what each row says, which menus its contextValue enables, and where clicking it goes.
// The file name sorts before generate-pki.ts, so the foocorp-no-pki suite sees the workspace before the PKI is written.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { describe, it } from '../runner/src/framework';
import { MESHTLS_ID } from '../runner/src/editor';

// The node type is private to the extension; the suite only hands nodes back to the provider.
interface Tree {
  getChildren(node?: unknown): Promise<unknown[]>;
  getTreeItem(node: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}

function tree(): Tree {
  const api = vscode.extensions.getExtension<{ credentialsTree: Tree }>(MESHTLS_ID)!.exports;
  assert.ok(api.credentialsTree, 'meshtls exports no credentialsTree');
  return api.credentialsTree;
}

/** What a row shows and offers, in plain values: label, description, contextValue, icon, collapsible state. */
interface Row {
  label: string;
  description: string | undefined;
  contextValue: string | undefined;
  icon: string | undefined;
  collapsible: string;
}

async function itemOf(node: unknown): Promise<vscode.TreeItem> {
  return tree().getTreeItem(node);
}

function rowOf(item: vscode.TreeItem): Row {
  return {
    label: typeof item.label === 'string' ? item.label : item.label?.label ?? '',
    description: typeof item.description === 'string' ? item.description : undefined,
    contextValue: item.contextValue,
    icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
    collapsible: vscode.TreeItemCollapsibleState[item.collapsibleState ?? vscode.TreeItemCollapsibleState.None]!,
  };
}

/** The file a row opens on click (its `vscode.open` command), relative to the workspace folder. */
function opens(item: vscode.TreeItem): string | undefined {
  if (!item.command) return undefined;
  assert.equal(item.command.command, 'vscode.open');
  const uri = item.command.arguments?.[0] as vscode.Uri;
  const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  assert.ok(uri.fsPath.startsWith(root), `${uri.fsPath} is outside the workspace`);
  return uri.fsPath.slice(root.length + 1).split('\\').join('/');
}

async function roots(): Promise<{ node: unknown; item: vscode.TreeItem }[]> {
  const nodes = await tree().getChildren();
  return Promise.all(nodes.map(async (node) => ({ node, item: await itemOf(node) })));
}

async function childRows(node: unknown): Promise<{ node: unknown; item: vscode.TreeItem }[]> {
  const nodes = await tree().getChildren(node);
  return Promise.all(nodes.map(async (n) => ({ node: n, item: await itemOf(n) })));
}

const FRONTEND_FILES = {
  key: 'frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem',
  cert: 'frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem',
  cacert: 'frontend.foocorp.com/2_intermediate/certs/ca-chain.cert.pem',
};

describe('credentials view', { workspace: 'foocorp' }, () => {
  it('lists both credentials, sorted, each resolved with 3 certificates and its expiry', async () => {
    const top = await roots();
    const rows = top.map(({ item }) => rowOf(item));
    assert.deepEqual(rows.map((r) => r.label), ['frontend-credential', 'inventory-credential']);
    for (const r of rows) {
      assert.match(r.description ?? '', /^MUTUAL · ✓ 3 certs · expires in \d+ days$/);
      assert.deepEqual({ ...r, description: undefined }, { label: r.label, description: undefined, contextValue: 'credential.resolved', icon: 'pass', collapsible: 'Collapsed' });
    }
    // Clicking a credential opens the Gateway at its credentialName.
    assert.deepEqual(top.map(({ item }) => opens(item)), ['gateway.yaml', 'gateway.yaml']);
    const tooltip = top[0]!.item.tooltip as vscode.MarkdownString;
    assert.equal(tooltip.value, '**frontend-credential** — Gateway `foocorp/foocorp-gateway`, hosts `frontend.foocorp.com`\n\nSecret read from namespace `istio-system`.');
  });

  it('frontend-credential expands to its kubectl source, key/cert/cacert files and the certificates', async () => {
    const [frontend] = await roots();
    const children = await childRows(frontend!.node);
    const rows = children.map(({ item }) => rowOf(item));
    const leafDays = /^MUTUAL · ✓ 3 certs · expires in (\d+) days$/.exec(String(frontend!.item.description))![1];
    // The three certificates of the served chain, then the client CA bundle (the same intermediate and root again,
    // as in the walkthrough) and the client certificate of the tree.
    const certDays = rows.slice(4).map((r) => /· (\d+) days left$/.exec(r.description ?? '')?.[1]);
    assert.equal(certDays[0], leafDays, 'the credential expires with its server certificate');
    assert.deepEqual(
      rows.map((r) => ({ ...r, description: r.description?.replace(/\d+ days left$/, 'N days left') })),
      [
        { label: 'from kubectl', description: 'kubectl line in create-secrets.sh', contextValue: undefined, icon: 'terminal', collapsible: 'None' },
        { label: 'key', description: FRONTEND_FILES.key, contextValue: undefined, icon: 'file', collapsible: 'None' },
        { label: 'cert', description: FRONTEND_FILES.cert, contextValue: undefined, icon: 'file', collapsible: 'None' },
        { label: 'cacert', description: FRONTEND_FILES.cacert, contextValue: undefined, icon: 'file', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'server certificate · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'intermediate CA, not served · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'root CA, not served · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'client CA (intermediate) · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'client CA (root) · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
        { label: 'frontend.foocorp.com', description: 'client certificate · N days left', contextValue: undefined, icon: 'verified', collapsible: 'None' },
      ],
    );
    // Each row opens what it names: the kubectl line, the files, the PEM block of each certificate.
    assert.deepEqual(children.map(({ item }) => opens(item)), [
      'create-secrets.sh',
      FRONTEND_FILES.key,
      FRONTEND_FILES.cert,
      FRONTEND_FILES.cacert,
      FRONTEND_FILES.cert,
      FRONTEND_FILES.cacert,
      FRONTEND_FILES.cacert,
      FRONTEND_FILES.cacert,
      FRONTEND_FILES.cacert,
      'frontend.foocorp.com/4_client/certs/frontend.foocorp.com.cert.pem',
    ]);
    // The kubectl line is line 6 of create-secrets.sh (as the hover links it).
    const selection = (children[0]!.item.command!.arguments![1] as { selection: vscode.Range }).selection;
    assert.equal(selection.start.line, 5);
    const leafTooltip = String(children[4]!.item.tooltip).split('\n');
    assert.deepEqual(leafTooltip.slice(0, 3), [
      'C=US, ST=Denial, L=Springfield, O=Dis, CN=frontend.foocorp.com',
      'SANs: DNS:frontend.foocorp.com',
      'Issuer: C=US, ST=Denial, O=Dis, CN=frontend.foocorp.com',
    ]);
    // Leaves have no children.
    for (const { node } of children) assert.deepEqual(await tree().getChildren(node), []);
  });

  it('inventory-credential names its own files', async () => {
    const [, inventory] = await roots();
    const rows = (await childRows(inventory!.node)).map(({ item }) => rowOf(item));
    assert.deepEqual(rows.slice(0, 4).map((r) => [r.label, r.description]), [
      ['from kubectl', 'kubectl line in create-secrets.sh'],
      ['key', 'inventory.foocorp.com/3_application/private/inventory.foocorp.com.key.pem'],
      ['cert', 'inventory.foocorp.com/3_application/certs/inventory.foocorp.com.cert.pem'],
      ['cacert', 'inventory.foocorp.com/2_intermediate/certs/ca-chain.cert.pem'],
    ]);
    assert.deepEqual(rows.slice(4).map((r) => r.label), Array(6).fill('inventory.foocorp.com'));
  });
});

describe('credentials view without PKI', { workspace: 'foocorp-no-pki' }, () => {
  it('shows both credentials as not usable: the kubectl line names 3 files that are not on disk', async () => {
    const rows = (await roots()).map(({ item }) => rowOf(item));
    // The kubectl line is found but names files that are not on disk: the row offers Generate PKI Tree… (contextValue
    // credential.unresolved) rather than the kubectl commands, and the status and icon say the files are missing.
    assert.deepEqual(rows, [
      { label: 'frontend-credential', description: 'MUTUAL · ⚠ "cert" file not found locally (+2 more)', contextValue: 'credential.unresolved', icon: 'warning', collapsible: 'Collapsed' },
      { label: 'inventory-credential', description: 'MUTUAL · ⚠ "cert" file not found locally (+2 more)', contextValue: 'credential.unresolved', icon: 'warning', collapsible: 'Collapsed' },
    ]);
  });

  it('a credential expands to its source and each missing file, flagged, and no certificates', async () => {
    const [frontend] = await roots();
    const children = await childRows(frontend!.node);
    assert.deepEqual(children.map(({ item }) => rowOf(item)), [
      // What failed comes first, named, with the rule as description (the same warnings Problems shows).
      ...['cert', 'key', 'cacert'].map((k) => ({ label: `"${k}" file not found locally`, description: 'credential-unresolved', contextValue: 'problem', icon: 'warning', collapsible: 'None' })),
      { label: 'from kubectl', description: 'kubectl line in create-secrets.sh', contextValue: undefined, icon: 'terminal', collapsible: 'None' },
      { label: 'key', description: `${FRONTEND_FILES.key} — it is not in the workspace`, contextValue: undefined, icon: 'warning', collapsible: 'None' },
      { label: 'cert', description: `${FRONTEND_FILES.cert} — it is not in the workspace`, contextValue: undefined, icon: 'warning', collapsible: 'None' },
      { label: 'cacert', description: `${FRONTEND_FILES.cacert} — it is not in the workspace`, contextValue: undefined, icon: 'warning', collapsible: 'None' },
    ]);
    assert.equal(opens(children[3]!.item), 'create-secrets.sh');
    // A missing file's row still points at the path the kubectl line names.
    assert.equal(opens(children[4]!.item), FRONTEND_FILES.key);
  });
});
