import * as vscode from 'vscode';
import { queryAt, pathMatches } from '../../core/index/query';
import { resolveGatewayRef } from '../../core/index/references';
import { credentialNameCompletions } from '../../core/index/credential-completions';
import { spanIn } from '../../core/istio/resource';
import { gatewayApiDefinition, sectionNameCompletions } from '../../core/index/gateway-api-navigation';
import { fileIdOf, type WorkspaceService, ISTIO_DOCUMENTS } from '../workspace-service';

const YAML = ISTIO_DOCUMENTS;

/**
 * Go to definition from a VirtualService's `gateways` entry to the Gateway, and (Gateway API) from a parentRef to its
 * Gateway or listener and from a certificateRef / caCertificateRef to its Secret or ConfigMap; completion of gateway,
 * credential and listener (`sectionName`) names.
 */
export function registerNavigation(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.languages.registerDefinitionProvider(YAML, {
      provideDefinition(doc, position) {
        const q = queryAt(ws.index, fileIdOf(doc.uri), doc.offsetAt(position));
        if (!q?.resource || q.on !== 'value' || typeof q.value !== 'string') return undefined;
        const def = gatewayApiDefinition(ws.index, ws.config, q.resource, q.resourcePath, q.start);
        if (def) {
          const origin = new vscode.Range(doc.positionAt(q.start), doc.positionAt(q.end));
          const t = def.target;
          const whole = def.whole ?? t;
          return [{ originSelectionRange: origin, targetUri: ws.location(t.fileId, t.start, t.end).uri, targetRange: ws.range(whole.fileId, whole.start, whole.end), targetSelectionRange: ws.range(t.fileId, t.start, t.end) }];
        }
        if (q.resource.kind === 'VirtualService' && pathMatches(q.resourcePath, ['spec', 'gateways', '*'])) {
          const gw = resolveGatewayRef(ws.index, q.resource, q.value);
          if (!gw || gw === 'mesh') return undefined;
          const s = spanIn(gw, ['metadata', 'name']);
          return [{ originSelectionRange: new vscode.Range(doc.positionAt(q.start), doc.positionAt(q.end)), targetUri: ws.location(s.fileId, s.start, s.end).uri, targetRange: ws.range(s.fileId, gw.doc.base, gw.doc.base + gw.doc.text.length), targetSelectionRange: ws.range(s.fileId, s.start, s.end) }];
        }
        return undefined;
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      YAML,
      {
        provideCompletionItems(doc, position) {
          const id = fileIdOf(doc.uri);
          const line = doc.lineAt(position.line).text.slice(0, position.character);
          const entry = ws.index.yamlFiles.get(id);
          if (!entry) return undefined;
          if (/^\s*(?:-\s*)?sectionName:\s*\S*$/.test(line)) {
            // A route's parentRef: the listener names of the Gateway (or ListenerSet) the parentRef under the cursor names.
            const offset = doc.offsetAt(position);
            const route = entry.resources.find((r) => r.doc.base <= offset && offset <= r.doc.base + r.doc.text.length);
            if (!route) return undefined;
            return sectionNameCompletions(ws.index, route, offset).map((c) => {
              const item = new vscode.CompletionItem(c.label, vscode.CompletionItemKind.Reference);
              item.detail = c.detail;
              return item;
            });
          }
          if (/^\s*credentialName:\s*\S*$/.test(line)) {
            return credentialNameCompletions(ws.index, ws.config).map((c) => {
              const item = new vscode.CompletionItem(c.label, vscode.CompletionItemKind.Value);
              item.detail = ws.displayText(c.detail);
              return item;
            });
          }
          // A `gateways:` list item: offer every Gateway, short name when it is in the VirtualService's namespace.
          const q = queryAt(ws.index, id, doc.offsetAt(position)) ?? queryAt(ws.index, id, doc.offsetAt(position) - 1);
          const inGateways = (q?.resource?.kind === 'VirtualService' && q.resourcePath[0] === 'spec' && q.resourcePath[1] === 'gateways') || (/^\s*-\s*\S*$/.test(line) && precedingKey(doc, position.line) === 'gateways');
          if (!inGateways) return undefined;
          const vsNs = q?.resource?.namespace ?? entry.resources.find((r) => r.kind === 'VirtualService')?.namespace;
          const items = ws.index.ofKind('Gateway').map((gw) => {
            const label = gw.namespace === vsNs ? gw.name : `${gw.namespace}/${gw.name}`;
            const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Reference);
            item.detail = `Gateway ${gw.namespace}/${gw.name}`;
            return item;
          });
          items.push(Object.assign(new vscode.CompletionItem('mesh', vscode.CompletionItemKind.Keyword), { detail: 'all sidecars in the mesh' }));
          return items;
        },
      },
      ' ',
      '/',
    ),
  );
}

function precedingKey(doc: vscode.TextDocument, line: number): string | undefined {
  for (let l = line - 1; l >= 0 && l >= line - 50; l--) {
    const m = /^\s*([A-Za-z_][\w.-]*):\s*$/.exec(doc.lineAt(l).text);
    if (m) return m[1];
    if (!/^\s*-/.test(doc.lineAt(l).text)) return undefined;
  }
  return undefined;
}
