import * as vscode from 'vscode';
import type { WorkspaceService } from '../workspace-service';

/** Re-reads every file and re-lints; reports the totals so the user sees the command did something. */
export function registerLintWorkspace(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.lintWorkspace', async () => {
      const files = await ws.scan();
      let errors = 0;
      let warnings = 0;
      for (const list of ws.last.findings.values()) for (const f of list) f.severity === 'error' ? errors++ : f.severity === 'warning' ? warnings++ : 0;
      const msg = `meshtls: ${files} files checked — ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`;
      if (errors + warnings > 0) {
        const choice = await vscode.window.showInformationMessage(msg, 'Show Problems');
        if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      } else {
        void vscode.window.showInformationMessage(msg);
      }
    }),
  );
}
