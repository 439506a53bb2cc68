import * as vscode from 'vscode';
import { WorkspaceService } from './workspace-service';
import { registerDiagnostics } from './features/diagnostics';
import { registerRuleDocs } from './features/rule-docs';
import { registerHover } from './features/hover';
import { registerNavigation } from './features/navigation';
import { registerCodeActions } from './features/code-actions';
import { registerLintWorkspace } from './commands/lint-workspace';
import { registerGeneratePki } from './commands/generate-pki';
import { registerCredentialCommands } from './commands/credential-commands';
import { registerReissueLeaf } from './commands/reissue-leaf';
import { registerCredentialLens } from './features/credential-lens';
import { registerCredentialsTree, type CredentialsTree } from './features/credentials-tree';

export interface MeshtlsApi {
  /** Resolves when the startup scan has finished and the first diagnostics are published (used by tests). */
  ready: Promise<void>;
  service: WorkspaceService;
  /** The data behind the Credentials view, so tests can read its items through the real TreeDataProvider. */
  credentialsTree: CredentialsTree;
  /** Time spent in activate(), for the benchmark. */
  activationMillis: number;
}

export function activate(context: vscode.ExtensionContext): MeshtlsApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('meshtls', { log: true });
  context.subscriptions.push(log);
  const service = new WorkspaceService(log);
  context.subscriptions.push(service);
  registerRuleDocs(context, log);
  registerDiagnostics(context, service);
  registerHover(context, service);
  registerNavigation(context, service);
  registerCodeActions(context, service);
  registerLintWorkspace(context, service);
  registerGeneratePki(context, service, log);
  registerCredentialCommands(context, service, log);
  registerReissueLeaf(context, service, log);
  registerCredentialLens(context, service);
  const credentialsTree = registerCredentialsTree(context, service);
  service.watch();
  const ready = service.scan().then(
    () => undefined,
    (err: Error) => log.error(err),
  );
  const activationMillis = performance.now() - started;
  log.info(`meshtls activated in ${activationMillis.toFixed(1)} ms`);
  return { ready, service, credentialsTree, activationMillis };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
