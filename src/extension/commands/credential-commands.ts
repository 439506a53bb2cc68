import * as vscode from 'vscode';
import { readSettings } from '../settings';
import type { WorkspaceService } from '../workspace-service';
import { ChainPanel } from '../features/chain-view';
import { chainModel, FORMATS, inspectUse, pickUse, renderForUse, statusOf } from '../credentials-model';

/** Copy / Run kubectl Secret Command and Show Certificate Chain. */
export function registerCredentialCommands(context: vscode.ExtensionContext, ws: WorkspaceService, log: vscode.LogOutputChannel): void {
  const panel = new ChainPanel(context.extensionUri, ws);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand('meshtls.copyKubectlSecretCommand', async (arg?: unknown, formatArg?: string) => {
      const use = await pickUse(ws, arg, 'Which credential?');
      if (!use) return undefined;
      const format = formatArg ?? (arg ? 'kubectl' : (await vscode.window.showQuickPick(FORMATS, { placeHolder: `How to create Secret "${use.name}"` }))?.format);
      if (!format) return undefined;
      const rendered = await renderForUse(ws, use, format as (typeof FORMATS)[number]['format']);
      if (typeof rendered === 'string') {
        void vscode.window.showWarningMessage(`meshtls: ${rendered}`, 'Generate PKI Tree…').then((c) => c && vscode.commands.executeCommand('meshtls.generatePkiTree', { hosts: use.server.hosts }));
        return undefined;
      }
      await vscode.env.clipboard.writeText(rendered.text);
      void vscode.window.showInformationMessage(`meshtls: ${format === 'yaml' ? 'Secret manifest' : 'kubectl command'} for "${use.name}" copied (namespace ${use.workloadNamespace}).`);
      return rendered.text;
    }),
    vscode.commands.registerCommand('meshtls.runKubectlSecretCommand', async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('meshtls: running kubectl is disabled in untrusted workspaces.');
        return;
      }
      const use = await pickUse(ws, arg, 'Which credential?');
      if (!use) return;
      const rendered = await renderForUse(ws, use, 'kubectl');
      if (typeof rendered === 'string') {
        void vscode.window.showWarningMessage(`meshtls: ${rendered}`);
        return;
      }
      const kubectl = readSettings().kubectlPath;
      const lines = rendered.commands.map((c) => (kubectl !== 'kubectl' && c.argv[0] === 'kubectl' ? c.display.replace(/^kubectl/, kubectl.includes(' ') ? `'${kubectl}'` : kubectl) : c.display));
      // Never runs by itself: the user reads the exact command first. A credential meshtls knows to be broken is said
      // so in the dialog, and then Cancel is the default button (VS Code focuses the first item).
      const errors = statusOf(ws, use, inspectUse(ws, use)).problems.filter((p) => p.status === 'error');
      const detail = `It creates Secret "${use.name}" in namespace "${use.workloadNamespace}" of your current kubectl context.`;
      const cancel: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };
      const run: vscode.MessageItem = { title: errors.length ? 'Run Anyway' : 'Run in Terminal' };
      const answer = errors.length
        ? await vscode.window.showWarningMessage(
            `"${use.name}" has ${errors.length} error${errors.length === 1 ? '' : 's'}; run this in a terminal anyway?\n\n${lines.join('\n')}`,
            { modal: true, detail: `${errors.map((e) => `✗ ${e.message}`).join('\n')}\n\n${detail}` },
            cancel,
            run,
          )
        : await vscode.window.showWarningMessage(`Run this in a terminal?\n\n${lines.join('\n')}`, { modal: true, detail }, run);
      if (answer !== run) return;
      const folder = vscode.workspace.workspaceFolders?.[0];
      const terminal = vscode.window.createTerminal({ name: `meshtls: ${use.name}`, cwd: folder?.uri });
      terminal.show();
      for (const line of lines) terminal.sendText(line.replace(/ \\\n\s*/g, ' '), true);
      log.info(`ran in terminal: ${lines.join(' && ')}`);
    }),
    vscode.commands.registerCommand('meshtls.showCertificateChain', async (arg?: unknown) => {
      const use = await pickUse(ws, arg, 'Show the chain of which credential?');
      if (!use) return undefined;
      const view = inspectUse(ws, use);
      const model = chainModel(view, statusOf(ws, use, view));
      panel.show(model);
      return model;
    }),
  );
}
