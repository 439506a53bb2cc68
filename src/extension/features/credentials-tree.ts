import * as vscode from 'vscode';
import type { CredentialUse } from '../../core/index/credentials';
import type { CertView, CredentialView } from '../../core/inspect/views';
import { uriOf, type WorkspaceService } from '../workspace-service';
import { inspectUse, needsPki, statusOf, usesOf } from '../credentials-model';
import { STATUS_MARK, type CredentialProblem } from '../../core/inspect/status';

type Node =
  | { type: 'credential'; use: CredentialUse; view: CredentialView }
  | { type: 'source'; view: CredentialView }
  | { type: 'file'; key: string; label: string; fileId: string; offset: number; missing?: string }
  | { type: 'cert'; cert: CertView }
  | { type: 'looked'; text: string }
  | { type: 'problem'; problem: CredentialProblem; use: CredentialUse }
  | { type: 'loading' };

const STATUS_ICON: Record<string, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  info: new vscode.ThemeIcon('info'),
};

function openCommand(fileId: string, offset: number, ws: WorkspaceService): vscode.Command {
  const range = ws.range(fileId, offset, offset);
  return { command: 'vscode.open', title: 'Open', arguments: [uriOf(fileId), { selection: range }] };
}

/** The "Credentials" view in the explorer: each credential a Gateway uses, where it comes from, its files and chain. */
export class CredentialsTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ws: WorkspaceService) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    // Until the first scan is done the view says so, instead of staying blank or showing the "no credential" welcome
    // (which is only shown once the meshtls.scanned context key is set); the lint that ends the scan refreshes it.
    if (!node && !this.ws.scannedOnce) return [{ type: 'loading' }];
    await this.ws.whenReady();
    if (!node) {
      return usesOf(this.ws)
        .map((use) => ({ type: 'credential' as const, use, view: inspectUse(this.ws, use) }))
        .sort((a, b) => a.use.name.localeCompare(b.use.name));
    }
    if (node.type === 'credential') {
      const v = node.view;
      // What failed comes first, one child per failing check, errors before warnings.
      const problems: Node[] = statusOf(this.ws, node.use, v).problems.map((problem) => ({ type: 'problem' as const, problem, use: node.use }));
      if (v.status === 'unresolved') return [...problems, ...v.looked.map((text) => ({ type: 'looked' as const, text }))];
      const out: Node[] = [...problems];
      if (v.source) out.push({ type: 'source', view: v });
      for (const f of v.files) out.push({ type: 'file', key: f.key, label: f.label, fileId: f.location.fileId, offset: f.location.start, missing: f.missing });
      for (const c of [...v.chain, ...v.ca, ...v.clients]) out.push({ type: 'cert', cert: c });
      return out;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'credential': {
        const status = statusOf(this.ws, node.use, node.view);
        const item = new vscode.TreeItem(node.use.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.use.mode} · ${status.headline}`;
        const problems = status.problems.map((p) => `- ${STATUS_MARK[p.status]} ${p.message.replace(/[\\`*_[\]<>]/g, '\\$&')}`).join('\n');
        item.tooltip = new vscode.MarkdownString(`**${node.use.name}** — ${node.use.listener ? `${node.use.gateway.kind === 'ListenerSet' ? 'ListenerSet' : 'Gateway'} listener \`${node.use.listener.name ?? node.use.listener.index}\` of` : 'Gateway'} \`${node.use.gateway.namespace}/${node.use.gateway.name}\`, hosts ${node.use.server.hosts.map((h) => `\`${h}\``).join(', ')}\n\nSecret read from namespace \`${node.use.workloadNamespace}\`.${problems ? `\n\n${problems}` : ''}`);
        item.iconPath = STATUS_ICON[status.status];
        // A credential whose files are missing needs a PKI tree, not a kubectl command: the menu follows that.
        item.contextValue = needsPki(node.view) ? 'credential.unresolved' : `credential.${node.view.status}`;
        item.command = openCommand(node.use.span.fileId, node.use.span.start, this.ws);
        return item;
      }
      case 'source': {
        const s = node.view.source!;
        const item = new vscode.TreeItem(`from ${s.kind}`, vscode.TreeItemCollapsibleState.None);
        item.description = s.description;
        item.iconPath = new vscode.ThemeIcon(s.kind === 'kubectl' ? 'terminal' : s.kind === 'secret' ? 'symbol-key' : s.kind === 'kustomize' ? 'package' : 'folder');
        item.command = openCommand(s.location.fileId, s.location.start, this.ws);
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
        item.description = node.missing ? `${node.label} — it ${node.missing}` : node.label;
        item.iconPath = node.missing ? STATUS_ICON.warning : new vscode.ThemeIcon('file');
        if (node.fileId) item.command = openCommand(node.fileId, node.offset, this.ws);
        return item;
      }
      case 'cert': {
        const c = node.cert;
        const worst = c.checks.some((k) => k.status === 'error') ? 'error' : c.checks.some((k) => k.status === 'warning') ? 'warning' : 'ok';
        const item = new vscode.TreeItem(c.commonName ?? c.subject, vscode.TreeItemCollapsibleState.None);
        item.description = `${c.role} · ${c.daysLeft < 0 ? 'expired' : `${c.daysLeft} days left`}`;
        item.tooltip = `${c.subject}\nSANs: ${c.sans.join(', ') || '(none)'}\nIssuer: ${c.issuer}\nValid ${c.notBefore} → ${c.notAfter}\nSHA-256 ${c.sha256}`;
        item.iconPath = worst === 'ok' ? new vscode.ThemeIcon('verified') : STATUS_ICON[worst];
        item.command = openCommand(c.location.fileId, c.location.start, this.ws);
        return item;
      }
      case 'problem': {
        const p = node.problem;
        const item = new vscode.TreeItem(p.short, vscode.TreeItemCollapsibleState.None);
        item.description = p.ruleId;
        item.tooltip = p.message;
        item.iconPath = STATUS_ICON[p.status];
        item.contextValue = 'problem';
        item.command = openCommand(node.use.span.fileId, node.use.span.start, this.ws);
        return item;
      }
      case 'loading': {
        const item = new vscode.TreeItem('Scanning the workspace…', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        return item;
      }
      case 'looked': {
        const item = new vscode.TreeItem(`looked: ${node.text}`, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('search');
        return item;
      }
    }
  }
}

export function registerCredentialsTree(context: vscode.ExtensionContext, ws: WorkspaceService): CredentialsTree {
  const tree = new CredentialsTree(ws);
  const view = vscode.window.createTreeView('meshtls.credentials', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(view, ws.onDidLint(() => tree.refresh()));
  return tree;
}
