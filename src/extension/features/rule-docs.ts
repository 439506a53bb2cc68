import * as vscode from 'vscode';

/**
 * Rule pages open rendered and read-only, however they are reached. A diagnostic's `code.target` must be a plain URI
 * (VS Code refuses `command:` links there), and a `file:` URI into the install folder opened the page as raw Markdown
 * that the user could edit and save over the shipped copy. So the target is a `meshtls-docs:` URI: a read-only
 * document served from the shipped page, which is swapped for its Markdown preview as soon as an editor shows it.
 */
export const DOCS_SCHEME = 'meshtls-docs';

/** The rule's page, as a read-only virtual document (the diagnostic link, Show documentation). */
export function docsTarget(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/rules/${ruleId}.md` });
}

export function registerRuleDocs(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const showing = new Set<string>();
  /**
   * When each page's preview was last opened, until that preview is closed: the editor can report the page's source
   * tab active again right after the preview opened.
   */
  const opened = new Map<string, number>();
  const previewLabel = (uri: vscode.Uri) => `Preview ${uri.path.slice(uri.path.lastIndexOf('/') + 1)}`;
  /**
   * Opens the rendered page and closes any text editor tab that shows its source. `asked` is an explicit request (the
   * command), which always opens the page; a source tab turning active opens it unless its preview just opened.
   */
  const showRendered = async (uri: vscode.Uri, asked: boolean): Promise<void> => {
    const key = uri.toString();
    if (showing.has(key)) return;
    showing.add(key);
    try {
      const sources = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key);
      // The preview tab appears a moment after the command returns, and the source tab can turn active again in
      // that moment (seen as two previews of one page): a second request within two seconds only closes the source.
      if (asked || Date.now() - (opened.get(key) ?? 0) > 2000) {
        // One rendered page per rule: a preview opened earlier (the link clicked twice) is closed before the new one
        // opens, which takes the focus.
        const label = previewLabel(uri);
        const earlier = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label === label);
        if (earlier.length) await vscode.window.tabGroups.close(earlier);
        await vscode.commands.executeCommand('markdown.showPreview', uri);
        opened.set(key, Date.now());
      }
      const stale = sources();
      if (stale.length) await vscode.window.tabGroups.close(stale);
    } catch (err) {
      log.error(err as Error);
    } finally {
      showing.delete(key);
    }
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
      async provideTextDocumentContent(uri) {
        // Only pages under docs/rules are served; a crafted path cannot read other files of the install folder.
        const m = /^\/rules\/([a-z0-9-]+\.md)$/.exec(uri.path);
        if (!m) return `No meshtls page at ${uri.path}.`;
        try {
          return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', m[1])));
        } catch {
          return `No meshtls page at ${uri.path}.`;
        }
      },
    }),
    vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e?.document.uri.scheme === DOCS_SCHEME) void showRendered(e.document.uri, false);
    }),
    // A closed preview is not "just opened" any more: the next click on the link opens it again at once.
    vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
      for (const key of [...opened.keys()]) if (closed.some((t) => t.label === previewLabel(vscode.Uri.parse(key)))) opened.delete(key);
    }),
    vscode.commands.registerCommand('meshtls.openRuleDocs', (ruleId: string) => showRendered(docsTarget(ruleId), true)),
  );
  // A page restored with the window opens rendered too.
  const active = vscode.window.activeTextEditor;
  if (active?.document.uri.scheme === DOCS_SCHEME) void showRendered(active.document.uri, false);
}
