import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { TEST_NOW } from '../support/golden';

/** A small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
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

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(p) ? [p] : [];
  });
}

const SEEDS = yamlFiles('examples').concat(yamlFiles('test/fixtures/rules')).map((p) => readFileSync(p, 'utf8'));
const TOKENS = ['---\n', ': ', '- ', '{', '}', '[', ']', '&a ', '*a', '<<: *a\n', '"', "'", '|\n', '>-\n', '\t', '\r\n', '\ufeff', '{{ .Values.x }}', 'null', '~', '443', '"443"', 'MUTUAL', 'ISTIO_MUTUAL', '*.', '/', 'kind: List\nitems:\n', '? ', '!!binary ', '%YAML 1.2\n', '#', '\n  ', 'credentialName: ', 'servers:\n', 'gateways: [', 'portLevelMtls:\n  0:\n'];

function mutate(text: string, r: () => number): string {
  let out = text;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.4) out = out.slice(0, pos) + TOKENS[Math.floor(r() * TOKENS.length)] + out.slice(pos);
    else if (op < 0.7) out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(r() * 20));
    else if (op < 0.85) {
      // Duplicate a line somewhere else: creates duplicate keys and odd indentation.
      const lines = out.split('\n');
      const l = lines[Math.floor(r() * lines.length)];
      lines.splice(Math.floor(r() * lines.length), 0, l);
      out = lines.join('\n');
    } else out = out.slice(0, pos) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(pos);
  }
  return out;
}

test('mutated Istio YAML never throws, never produces internal errors, and keeps offsets inside the file', () => {
  const r = rng(20261123);
  const linter = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW });
  const idx = new WorkspaceIndex();
  for (let i = 0; i < 400; i++) {
    const base = SEEDS[Math.floor(r() * SEEDS.length)];
    const text = mutate(base, r);
    const id = `f${i % 7}.yaml`;
    try {
      idx.setYamlFile(id, text);
      const res = linter.lint(idx, TEST_NOW);
      for (const [fid, list] of res) {
        const len = idx.yamlFiles.get(fid)?.text.length ?? 0;
        for (const f of list) {
          assert.notEqual(f.ruleId, 'internal-error', `${f.message}\n--- input (iteration ${i}) ---\n${text}`);
          assert.ok(f.start >= 0 && f.end >= f.start && f.end <= len, `span ${f.start}-${f.end} outside ${fid} (${len} chars), rule ${f.ruleId}`);
        }
      }
    } catch (err) {
      assert.fail(`iteration ${i} threw ${(err as Error).stack}\n--- input ---\n${text}`);
    }
  }
});

test('random bytes decoded as text never throw', () => {
  const r = rng(7);
  const linter = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW });
  for (let i = 0; i < 200; i++) {
    const idx = new WorkspaceIndex();
    const chars = Array.from({ length: Math.floor(r() * 400) }, () => String.fromCharCode(Math.floor(r() * 128)));
    idx.setYamlFile('r.yaml', chars.join(''));
    assert.doesNotThrow(() => linter.lint(idx, TEST_NOW));
  }
});

test('deeply nested and alias-heavy documents finish (no exponential blow-up)', () => {
  const idx = new WorkspaceIndex();
  const nested = 'spec:\n' + Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' x\n';
  let bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 0; i < 12; i++) bomb += `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]\n`;
  idx.setYamlFile('nested.yaml', `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: n}\n${nested}`);
  idx.setYamlFile('bomb.yaml', `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: b}\nspec:\n  x:\n${bomb.replace(/^/gm, '    ')}`);
  const res = new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(idx, TEST_NOW);
  assert.ok(res.get('bomb.yaml')?.some((f) => f.ruleId === 'yaml-syntax'), 'an alias bomb is refused as a syntax error');
});
