import * as vscode from 'vscode';
import type { WorkspaceService } from '../workspace-service';

/** Re-reads every file and re-lints; reports the totals so the user sees the command did something. */
export function registerLintWorkspace(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshtls.lintWorkspace', async () => {
      await ws.scan();
      // Counted like the CLI: the YAML files linted (not every file read), and every severity.
      const files = ws.index.yamlFiles.size;
      const counts = { error: 0, warning: 0, info: 0, hint: 0 };
      for (const list of ws.last.findings.values()) for (const f of list) counts[f.severity]++;
      const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
      const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning'), plural(counts.info + counts.hint, 'note')];
      const msg = `meshtls: ${plural(files, 'file')} checked — ${parts.join(', ')}.`;
      if (counts.error + counts.warning + counts.info + counts.hint > 0) {
        const choice = await vscode.window.showInformationMessage(msg, 'Show Problems');
        if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
      } else {
        void vscode.window.showInformationMessage(msg);
      }
    }),
  );
}
