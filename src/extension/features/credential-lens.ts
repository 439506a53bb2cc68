import * as vscode from 'vscode';
import { fileIdOf, ISTIO_DOCUMENTS, type WorkspaceService } from '../workspace-service';
import { inspectUse, needsPki, statusOf, usesOf } from '../credentials-model';

/**
 * Above each credentialName: its status in a few words, then the actions that fit it — Generate PKI Tree… when it is
 * not found, Copy kubectl command when it is, and Show chain.
 */
export function registerCredentialLens(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    ws.onDidLint(() => changed.fire()),
    vscode.languages.registerCodeLensProvider(
      ISTIO_DOCUMENTS,
      {
        onDidChangeCodeLenses: changed.event,
        async provideCodeLenses(doc) {
          await ws.whenReady();
          const id = fileIdOf(doc.uri);
          const lenses: vscode.CodeLens[] = [];
          for (const use of usesOf(ws)) {
            if (use.span.fileId !== id) continue;
            const range = ws.range(id, use.span.start, use.span.end);
            const view = inspectUse(ws, use);
            const status = statusOf(ws, use, view);
            const arg = { span: use.span };
            const tooltip = status.problems.length ? status.problems.map((p) => `${p.status === 'error' ? '✗' : p.status === 'warning' ? '⚠' : 'ℹ'} ${p.message}`).join('\n') : `${use.name}: every check passed`;
            lenses.push(new vscode.CodeLens(range, { title: status.headline, command: 'meshtls.showCertificateChain', arguments: [arg], tooltip }));
            if (needsPki(view)) {
              lenses.push(new vscode.CodeLens(range, { title: 'Generate PKI Tree…', command: 'meshtls.generatePkiTree', arguments: [{ hosts: use.server.hosts.map((h) => h.slice(h.indexOf('/') + 1)).filter((h) => !h.includes('*')) }] }));
            } else if (view.status === 'resolved') {
              lenses.push(new vscode.CodeLens(range, { title: 'Copy kubectl command', command: 'meshtls.copyKubectlSecretCommand', arguments: [arg] }));
              lenses.push(new vscode.CodeLens(range, { title: 'Show chain', command: 'meshtls.showCertificateChain', arguments: [arg] }));
            }
          }
          return lenses;
        },
      },
    ),
  );
}
