// The IBM Cloud ALB example (examples/iks-alb): the credential comes from Secret manifests with base64 data.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { after, before, describe, it } from '../runner/src/framework';
import { closeAllEditors, hoverText, openFile, positionOf, workspaceFile } from '../runner/src/editor';

describe('iks-alb: credential from Secret manifests', { workspace: 'iks-alb' }, () => {
  let gatewayUri: vscode.Uri;

  before(async () => {
    await closeAllEditors();
    gatewayUri = workspaceFile('gateway.yaml');
    await openFile(gatewayUri);
  });

  after(closeAllEditors);

  it('reports nothing', () => {
    assert.deepEqual(vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'meshtls')).map(([u]) => u.fsPath), []);
  });

  it('CodeLens shows the resolved credential and its actions', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri, 10)) ?? [];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, String(l.command?.title).replace(/\d+ days?/, 'N days')]),
      [
        [18, '✓ 3 certs · expires in N days'],
        [18, 'Copy kubectl command'],
        [18, 'Show chain'],
      ],
    );
  });

  it('hover on a base64 tls.crt value in the Secret decodes the certificates it holds', async () => {
    const uri = workspaceFile('secrets.yaml');
    const doc = (await openFile(uri)).document;
    const texts = await hoverText(uri, positionOf(doc, 'tls.crt: LS0t', 'tls.crt: '.length + 10));
    assert.equal(texts.length, 1);
    // The certificate followed by its intermediate, each with its CN.
    assert.match(texts[0]!, /· 2 PEM blocks/);
    assert.match(texts[0]!, /1\. \*\*bookinfo\.mycluster-abc123\.us-south\.containers\.appdomain\.cloud\*\*/);
    assert.match(texts[0]!, /2\. \*\*/);
  });

  it('Copy kubectl command applies the Secret manifests instead of rebuilding them', async () => {
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', gatewayUri)) ?? []).find((l) => l.command?.title === 'Copy kubectl command')!;
    const text = await vscode.commands.executeCommand<string>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(text, 'kubectl apply -n istio-system -f secrets.yaml');
  });
});
