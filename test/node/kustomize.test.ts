import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
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
