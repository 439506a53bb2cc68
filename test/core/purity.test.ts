import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as yamlApi from '../../src/core/yaml/api';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('src/core imports neither vscode nor the file system', () => {
  const offenders = files('src/core').filter((f) =>
    /from ['"](vscode|node:fs|fs|fs\/promises|node:fs\/promises|node:child_process|child_process)['"]|require\(['"](vscode|fs|node:fs)['"]\)/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders, []);
});

/** Imports of one source file, as written (relative paths resolved against the repo root). */
function importsOf(f: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    out.push(spec.startsWith('.') ? join(f, '..', spec).split('\\').join('/') : spec);
  }
  return out;
}

// design.md: data flows one way. The core knows no adapter; the Node I/O layer knows the core only; the two
// adapters never import each other.
test('layers import one way: core ← node ← (cli | extension), and cli and extension never meet', () => {
  const offenders: string[] = [];
  const forbid = (dir: string, prefixes: string[]) => {
    for (const f of files(dir)) for (const imp of importsOf(f)) if (prefixes.some((p) => imp.startsWith(p))) offenders.push(`${f} → ${imp}`);
  };
  forbid('src/core', ['src/node', 'src/cli', 'src/extension', 'vscode']);
  forbid('src/node', ['src/cli', 'src/extension', 'vscode']);
  forbid('src/cli', ['src/extension', 'vscode']);
  forbid('src/extension', ['src/cli']);
  assert.deepEqual(offenders, []);
});

test('typed views in src/core/istio do not reach into the workspace index', () => {
  const offenders = files('src/core/istio').filter((f) => importsOf(f).some((i) => i.startsWith('src/core/index')));
  assert.deepEqual(offenders, []);
});

// yaml is a CommonJS package: a bundle reaches each of its exports through a getter on every use, so what src/core
// calls in its loops (isScalar, Scalar.PLAIN, …) is bound once in src/core/yaml/api.ts and imported from there.
test("yaml's predicates and node classes are imported from src/core/yaml/api.ts, not from yaml", () => {
  const bound = Object.keys(yamlApi);
  assert.ok(bound.includes('isScalar') && bound.includes('Scalar'), bound.join(', '));
  const offenders: string[] = [];
  for (const f of [...files('src/core'), ...files('src/extension'), ...files('src/cli'), ...files('src/node')]) {
    if (f.endsWith(join('yaml', 'api.ts'))) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'yaml'/g)) {
      if (m[1]) continue;
      const values = m[2].split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type '));
      for (const v of values) if (bound.includes(v.split(/\s+as\s+/)[0])) offenders.push(`${f}: ${v}`);
    }
  }
  assert.deepEqual(offenders, []);
});
