import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { TEST_NOW } from '../support/golden';
import { readTree } from '../support/certs';

/** mulberry32: deterministic, so a failing iteration can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----', '-----BEGIN PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED\n', '\n', '====', '\\\n', ' --from-file=', ' -n ', '"', "'", '$(x)', '|', '\u0000', '\u00ff'];

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = Array.from(bytes);
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.3) out.splice(pos, 1 + Math.floor(r() * 64));
    else if (op < 0.6) out.splice(pos, 0, ...new TextEncoder().encode(PIECES[Math.floor(r() * PIECES.length)]));
    else if (op < 0.9 && out.length) out[Math.min(pos, out.length - 1)] = Math.floor(r() * 256);
    else out.length = Math.floor(r() * out.length);
  }
  return new Uint8Array(out);
}

test('mutated certificates, keys and kubectl scripts never throw or produce internal errors', () => {
  const base = new Map<string, Uint8Array>();
  for (const [rel, bytes] of readTree('examples/foocorp')) base.set(`foocorp/${rel}`, new Uint8Array(bytes));
  const material = [...base.keys()].filter((k) => !k.endsWith('.yaml'));
  const r = rng(5);
  const linter = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW });
  const index = new WorkspaceIndex();
  for (const [id, bytes] of base) {
    if (id.endsWith('.yaml')) index.setYamlFile(id, new TextDecoder().decode(bytes));
    else index.setOtherFile(id, bytes);
  }
  for (let i = 0; i < 150; i++) {
    const id = material[Math.floor(r() * material.length)];
    index.setOtherFile(id, mutate(base.get(id)!, r));
    const findings = [...linter.lint(index, TEST_NOW).values()].flat();
    const crashed = findings.filter((f) => f.ruleId === 'internal-error');
    assert.deepEqual(crashed.map((f) => f.message), [], `iteration ${i} (${id})`);
    if (r() < 0.3) index.setOtherFile(id, base.get(id)!);
  }
  // The unmutated workspace is clean again.
  for (const id of material) index.setOtherFile(id, base.get(id)!);
  assert.deepEqual([...linter.lint(index, TEST_NOW).values()].flat(), []);
});
