import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { uriOf, type WorkspaceService } from '../workspace-service';

export type CheckStatus = 'ok' | 'warning' | 'error' | 'info';

/** What the chain webview shows: plain data, so the same model feeds tests and the panel. */
export interface ChainViewModel {
  title: string;
  subtitle?: string;
  empty?: string;
  sources: { label: string; fileId: string; offset: number }[];
  sections: {
    heading: string;
    role?: string;
    status: CheckStatus;
    /** True when this certificate is signed by the one in the next section. */
    chained?: boolean;
    rows: [string, string][];
    checks: { status: CheckStatus; text: string }[];
  }[];
}

/**
 * One reusable panel "meshtls: Certificate Chain". Strict CSP: only our script and stylesheet from media/, by nonce;
 * no inline code, no remote content.
 */
export class ChainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private model: ChainViewModel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly ws: WorkspaceService,
  ) {}

  show(model: ChainViewModel): void {
    this.model = model;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('meshtls.chain', 'Certificate Chain', vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: false });
      this.panel.iconPath = vscode.Uri.joinPath(media, 'meshtls.svg');
      this.panel.webview.html = this.html(this.panel.webview, media);
      this.disposables.push(
        this.panel.onDidDispose(() => (this.panel = undefined)),
        this.panel.webview.onDidReceiveMessage(async (msg: { type: string; fileId?: string; offset?: number }) => {
          if (msg.type === 'ready' && this.model) void this.panel?.webview.postMessage({ type: 'render', model: this.model });
          if (msg.type === 'open' && msg.fileId) {
            const doc = await vscode.workspace.openTextDocument(uriOf(msg.fileId));
            const pos = doc.positionAt(msg.offset ?? 0);
            await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
          }
        }),
      );
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      void this.panel.webview.postMessage({ type: 'render', model });
    }
    this.panel.title = `Chain: ${model.title}`;
    void this.ws;
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'chain.css'));
    const js = webview.asWebviewUri(vscode.Uri.joinPath(media, 'chain.js'));
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}"><title>Certificate Chain</title></head>
<body><main id="root" aria-live="polite"></main><script nonce="${nonce}" src="${js}"></script></body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
