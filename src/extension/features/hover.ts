import * as vscode from 'vscode';
import { queryAt, pathMatches } from '../../core/index/query';
import { explainValue } from '../../core/istio/explain';
import { virtualServicesForHost } from '../../core/istio/references';
import { fileIdOf, uriOf, type WorkspaceService } from '../workspace-service';

const YAML: vscode.DocumentSelector = [{ language: 'yaml' }];

/**
 * Hovers over Istio values: what a TLS or mTLS mode does, and which VirtualServices a Gateway host routes to.
 * Certificate hovers for credentialName come from the credentials feature.
 */
export function registerHover(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(YAML, {
      provideHover(doc, position) {
        const id = fileIdOf(doc.uri);
        const q = queryAt(ws.index, id, doc.offsetAt(position));
        if (!q?.resource || q.on !== 'value') return undefined;
        const range = new vscode.Range(doc.positionAt(q.start), doc.positionAt(q.end));
        const explained = explainValue(q.resource.kind, q.resourcePath, q.value);
        if (explained) return new vscode.Hover(new vscode.MarkdownString(explained), range);
        if (q.resource.kind === 'Gateway' && pathMatches(q.resourcePath, ['spec', 'servers', '*', 'hosts', '*']) && typeof q.value === 'string') {
          const bound = virtualServicesForHost(ws.index, q.resource, q.value);
          const md = new vscode.MarkdownString(`**Host \`${q.value}\`**\n\n`);
          if (bound.length === 0) {
            md.appendMarkdown('No VirtualService in the workspace binds this host to this Gateway: requests for it get a 404.');
          } else {
            md.appendMarkdown(`Routed by ${bound.length === 1 ? 'VirtualService' : 'VirtualServices'}:\n\n`);
            for (const vs of bound) {
              const uri = uriOf(vs.doc.fileId);
              const line = ws.range(vs.doc.fileId, vs.doc.base, vs.doc.base).start.line + 1;
              md.appendMarkdown(`- [\`${vs.namespace}/${vs.name}\`](${uri.with({ fragment: `L${line}` }).toString()}) — ${vscode.workspace.asRelativePath(uri)}\n`);
            }
          }
          md.appendMarkdown('\n\nWith a specific host, the gateway matches the TLS SNI name: clients must send it.');
          return new vscode.Hover(md, range);
        }
        return undefined;
      },
    }),
  );
}
