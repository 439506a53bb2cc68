import * as vscode from 'vscode';
import { queryAt, pathMatches } from '../../core/index/query';
import { explainValue } from '../../core/istio/explain';
import { virtualServicesForHost } from '../../core/index/references';
import { credentialAt, secretValueAt, inspectMaterial } from '../../core/inspect/views';
import { credentialMarkdown, materialMarkdown } from '../../core/inspect/markdown';
import { fileIdOf, uriOf, type WorkspaceService, ISTIO_DOCUMENTS } from '../workspace-service';
import { inspectUse, linkTo, statusOf } from '../credentials-model';

const YAML = ISTIO_DOCUMENTS;
const PEM: vscode.DocumentSelector = [{ language: 'pem' }];

function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = false;
  return md;
}

/**
 * Hovers over Istio values: what a TLS or mTLS mode does, and which VirtualServices a Gateway host routes to.
 * Certificate hovers for credentialName come from the credentials feature.
 */
export function registerHover(context: vscode.ExtensionContext, ws: WorkspaceService): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(YAML, {
      async provideHover(doc, position) {
        await ws.whenReady();
        const id = fileIdOf(doc.uri);
        const offset = doc.offsetAt(position);
        const link = { link: (loc: { fileId: string; start: number; end: number }) => linkTo(ws, loc) };
        // credentialName: where it resolved and the whole chain with a status per check.
        const use = credentialAt(ws.index, ws.config, id, offset);
        if (use) {
          const view = inspectUse(ws, use);
          const chainLink = `command:meshtls.showCertificateChain?${encodeURIComponent(JSON.stringify([{ span: use.span }]))}`;
          const md = markdown(credentialMarkdown(view, { ...link, status: statusOf(ws, use, view), chainLink }));
          md.isTrusted = { enabledCommands: ['meshtls.showCertificateChain'] };
          return new vscode.Hover(md, ws.range(use.span.fileId, use.span.start, use.span.end));
        }
        // A base64 value in a Secret manifest: the certificate (or key summary) it decodes to.
        const value = secretValueAt(ws.index, ws.config, id, offset);
        if (value?.bytes) {
          const view = inspectMaterial(value.bytes, { label: value.label, fileId: value.fileId, inline: value.mention, now: ws.last.now, expiryWarningDays: ws.config.expiryWarningDays });
          return new vscode.Hover(markdown(materialMarkdown(view, link)), ws.range(value.mention.fileId, value.mention.start, value.mention.end));
        }
        const q = queryAt(ws.index, id, offset);
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
    // A PEM file: the certificate block under the cursor (or the whole file's summary).
    vscode.languages.registerHoverProvider(PEM, {
      provideHover(doc, position) {
        const text = doc.getText();
        const offset = doc.offsetAt(position);
        const begin = text.lastIndexOf('-----BEGIN ', offset + 11);
        const endMarker = text.indexOf('-----END ', Math.max(begin, 0));
        if (begin < 0 || endMarker < 0) return undefined;
        const end = text.indexOf('\n', endMarker);
        const blockEnd = end < 0 ? text.length : end + 1;
        if (offset > blockEnd) return undefined;
        const view = inspectMaterial(text.slice(begin, blockEnd), { label: vscode.workspace.asRelativePath(doc.uri), fileId: fileIdOf(doc.uri), now: ws.last.now, expiryWarningDays: ws.config.expiryWarningDays });
        return new vscode.Hover(markdown(materialMarkdown(view, { link: (loc) => linkTo(ws, loc) })), new vscode.Range(doc.positionAt(begin), doc.positionAt(blockEnd)));
      },
    }),
  );
}
