// The workspace scan lists files with the CLI's walker: the editor's own file search follows symbolic links, so a
// cloned repository holding a link out of the workspace (to `/`, to another checkout) would have it list, and the
// scan try to read, files that are not the workspace's. The file name sorts after the other foocorp suites, and the
// links are removed at the end.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from '../runner/src/framework';
import { MESHTLS_ID, workspaceFile } from '../runner/src/editor';

interface Service {
  listFiles(dir?: vscode.Uri): Promise<vscode.Uri[]>;
  index: { yamlFiles: Map<string, unknown>; otherFiles: Map<string, unknown> };
}

describe('workspace scan: symbolic links out of the folder', { workspace: 'foocorp' }, () => {
  let outside: string | undefined;
  after(() => {
    try {
      unlinkSync(workspaceFile('escape').fsPath);
    } catch {
      // never made, or already gone
    }
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('a link to a folder outside is neither listed nor read, although the editor’s file search follows it', async () => {
    outside = mkdtempSync(join(tmpdir(), 'meshtls-outside-'));
    const link = workspaceFile('escape');
    writeFileSync(join(outside, 'stray-gateway.yaml'), 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: stray\nspec:\n  selector:\n    istio: ingressgateway\n  servers: []\n');
    writeFileSync(join(outside, 'stray.pem'), 'not the workspace’s\n');
    symlinkSync(outside, link.fsPath);
    // The premise: VS Code's search does list files through the link.
    const searched = await vscode.workspace.findFiles('escape/**');
    assert.ok(searched.length >= 2, `findFiles listed ${searched.length} files under the link`);

    const service = vscode.extensions.getExtension<{ service: Service }>(MESHTLS_ID)!.exports.service;
    const listed = (await service.listFiles()).map((u) => vscode.workspace.asRelativePath(u));
    assert.ok(listed.some((p) => p.endsWith('.yaml')), 'the scan lists the workspace’s own YAML');
    assert.deepEqual(listed.filter((p) => p.startsWith('escape/')), []);
    // A folder event for the link itself (it appeared while the editor was open) lists nothing either.
    assert.deepEqual(await service.listFiles(link), []);

    await vscode.commands.executeCommand('meshtls.lintWorkspace');
    const ids = [...service.index.yamlFiles.keys(), ...service.index.otherFiles.keys()];
    assert.deepEqual(ids.filter((id) => id.includes('/escape/') || id.includes('stray')), []);
  });
});
