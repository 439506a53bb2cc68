import * as vscode from 'vscode';
import { registerDiagnostics } from './features/diagnostics';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('meshtls', { log: true });
  context.subscriptions.push(log);
  const started = Date.now();
  registerDiagnostics(context, log);
  log.info(`meshtls activated in ${Date.now() - started} ms`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
