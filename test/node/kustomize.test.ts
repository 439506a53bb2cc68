import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadWorkspace } from '../../src/node/workspace';
import { findKustomizeBinary } from '../../src/node/kustomize';
import { Linter } from '../../src/core/lint';
import { placementOf } from '../../src/core/index/placement';
import { LineIndex } from '../../src/core/lines';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = findKustomizeBinary();
const NOW = new Date('2026-11-29T00:00:00Z');

async function lint(dir: string, render: boolean) {
  const ws = await loadWorkspace([dir], { cwd: ROOT, kustomize: render ? BIN : undefined });
  const seen: string[] = [];
  for (const [file, list] of new Linter({ config: ws.config, now: NOW }).lint(ws.index)) {
    const lines = new LineIndex(ws.texts.get(file) ?? '');
    for (const f of list) seen.push(`${file}:${lines.position(f.start).line + 1} ${f.ruleId}`);
  }
  const gateways = placementOf(ws.index, ws.config)
    .instances.filter((p) => p.kind === 'Gateway')
    .map((p) => `${p.unit.id} ${p.namespace}/${p.name}`)
    .sort();
  return { seen: seen.sort(), gateways, rendered: [...ws.index.rendered.keys()].sort() };
}

const BROKEN = [
  'examples/kustomize-broken/base/gateway.yaml:10 gateway-conflict',
  'examples/kustomize-broken/base/virtual-service.yaml:7 kustomize-name-reference-gap',
  'examples/kustomize-broken/overlays/prod/admin-gateway.yaml:12 gateway-conflict',
];
const BROKEN_GATEWAYS = [
  'kustomize:examples/kustomize-broken/overlays/prod shop-prod/prod-admin-gateway',
  'kustomize:examples/kustomize-broken/overlays/prod shop-prod/prod-shop-gateway',
  'kustomize:examples/kustomize-broken/overlays/staging shop-staging/shop-gateway',
];

for (const render of [false, true]) {
  const how = render ? 'rendered by the real kustomize binary' : 'read without a binary (fallback)';
  const skip = render && !BIN ? 'needs kubectl (built-in kustomize) or kustomize on the PATH; skipped' : false;

  test(`examples/kustomize (base + two overlays in different namespaces) is clean, ${how}`, { skip }, async () => {
    const r = await lint('examples/kustomize', render);
    assert.deepEqual(r.seen, []);
    assert.deepEqual(r.gateways, ['kustomize:examples/kustomize/overlays/prod shop-prod/shop-gateway', 'kustomize:examples/kustomize/overlays/staging shop-staging/shop-gateway']);
    assert.deepEqual(r.rendered, render ? ['examples/kustomize/overlays/prod/kustomization.yaml', 'examples/kustomize/overlays/staging/kustomization.yaml'] : []);
  });

  test(`examples/kustomize-broken shows the rename gap and a conflict inside the prod overlay only, ${how}`, { skip }, async () => {
    const r = await lint('examples/kustomize-broken', render);
    assert.deepEqual(r.seen, BROKEN);
    assert.deepEqual(r.gateways, BROKEN_GATEWAYS);
  });
}

// A secretGenerator names its Secret `<name>-<hash of the contents>`; kustomize does not rewrite a Gateway's
// credentialName, so the gateway names a Secret that never exists. `kubectl kustomize` is the judge of the names.
function generatorWorkspace(options: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-generator-'));
  cpSync(join(ROOT, 'examples', 'foocorp', 'frontend.foocorp.com'), join(dir, 'frontend.foocorp.com'), { recursive: true });
  writeFileSync(
    join(dir, 'gateway.yaml'),
    'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: frontend-gateway\nspec:\n  selector:\n    istio: ingressgateway\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [frontend.foocorp.com]\n    tls:\n      mode: SIMPLE\n      credentialName: frontend-credential\n',
  );
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `namespace: istio-system\nresources: [gateway.yaml]\nsecretGenerator:\n- name: frontend-credential\n${options}  type: kubernetes.io/tls\n  files:\n  - tls.crt=frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem\n  - tls.key=frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem\n`,
  );
  return dir;
}

function builtSecretNames(dir: string): string[] {
  const r = spawnSync(BIN!.command, [...BIN!.args, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(/^---$/m).filter((d) => /^kind: Secret$/m.test(d)).map((d) => /^  name: (.+)$/m.exec(d)![1]);
}

for (const render of [false, true]) {
  const how = render ? 'rendered by the real kustomize binary' : 'read without a binary (fallback)';
  test(`a secretGenerator's hash suffix is reported on the credentialName, and its fix makes the names meet, ${how}`, { skip: !BIN ? 'needs kubectl (built-in kustomize) or kustomize on the PATH; skipped' : false }, async () => {
    const dir = generatorWorkspace('');
    const ws = await loadWorkspace([dir], { cwd: dir, kustomize: render ? BIN : undefined });
    const gaps = [...new Linter({ config: ws.config, now: NOW }).lint(ws.index).values()].flat().filter((f) => f.ruleId === 'kustomize-name-reference-gap');
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    assert.match(gaps[0].message, /^Secret "frontend-credential" is generated by kustomization\.yaml as "frontend-credential-<hash>"/);
    // The judge: the build holds no Secret by the name the Gateway reads.
    const before = builtSecretNames(dir);
    assert.equal(before.length, 1);
    assert.notEqual(before[0], 'frontend-credential');
    // Apply the quick fix to the kustomization file, then both meshtls and kustomize agree on the name.
    const [fix] = gaps[0].fixes ?? [];
    assert.ok(fix, 'a fix is offered');
    const file = join(dir, 'kustomization.yaml');
    let text = readFileSync(file, 'utf8');
    for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    writeFileSync(file, text);
    assert.deepEqual(builtSecretNames(dir), ['frontend-credential']);
    const after = await loadWorkspace([dir], { cwd: dir, kustomize: render ? BIN : undefined });
    const left = [...new Linter({ config: after.config, now: NOW }).lint(after.index).values()].flat().filter((f) => f.severity !== 'info');
    assert.deepEqual(left.map((f) => f.ruleId), []);
  });
}
