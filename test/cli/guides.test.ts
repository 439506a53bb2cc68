import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, cpSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { golden } from '../support/golden';

/**
 * Our three scenarios in the form their guides take: the FooCorp walkthrough as Markdown with ```yaml blocks and a
 * console heredoc, the IKS guide and the PeerAuthentication rollout as shell scripts with `kubectl apply -n NS -f -
 * <<EOF` heredocs and a `for ns in …` loop. The clean twin must lint clean; the broken twin plants one mistake per
 * changed line inside the embedded YAML, and each must be found on its own line of the .md/.sh.
 */
const CLI = resolve('dist/cli.js');
const TWINS = resolve('test/fixtures/guides');

/** Copies a twin and the credential material its guides name: the example PKI trees and the IKS PEM files. */
function assemble(twin: 'clean' | 'broken'): string {
  const dir = mkdtempSync(join(tmpdir(), `meshtls-guides-${twin}-`));
  cpSync(join(TWINS, twin), dir, { recursive: true });
  for (const host of ['frontend.foocorp.com', 'inventory.foocorp.com']) cpSync(resolve('examples/foocorp', host), join(dir, 'foocorp', host), { recursive: true });
  // The IKS guide runs `kubectl create secret tls --cert=tls.crt --key=tls.key` and `--from-file=ca.crt=ca.crt`: the
  // files are the ones the example keeps as Secret manifests.
  for (const doc of parseAllDocuments(readFileSync('examples/iks-alb/secrets.yaml', 'utf8'))) {
    const data = (doc.toJS() as { data: Record<string, string> }).data;
    for (const [key, b64] of Object.entries(data)) writeFileSync(join(dir, 'iks-alb', key), Buffer.from(b64, 'base64'));
  }
  return dir;
}

function lint(dir: string) {
  const r = spawnSync(process.execPath, [CLI, 'lint', '.', '--format', 'json', '--now', '2026-11-23'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.stderr, '');
  return { code: r.status, json: JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; column: number; severity: string; rule: string; message: string }[]; summary: { files: number } } };
}

test('the clean twin of the guides has no finding, and every host file is checked', () => {
  const { code, json } = lint(assemble('clean'));
  assert.deepEqual(json.diagnostics, []);
  assert.equal(code, 0);
  assert.equal(json.summary.files, 3);
});

test('the broken twin: each planted mistake is found on its line and column of the .md/.sh', () => {
  const { code, json } = lint(assemble('broken'));
  assert.equal(code, 1);
  const actual = json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`).join('\n');
  assert.equal(actual, golden(join(TWINS, 'broken.expected.txt'), actual));
  // Every finding sits on a line the broken twin changed, and every changed file has one.
  const changed = new Map<string, Set<number>>();
  for (const file of ['foocorp/walkthrough.md', 'iks-alb/setup.sh', 'peer-authentication/rollout.sh']) {
    const a = readFileSync(join(TWINS, 'clean', file), 'utf8').split('\n');
    const b = readFileSync(join(TWINS, 'broken', file), 'utf8').split('\n');
    assert.equal(a.length, b.length, `${file}: the twins differ in changed lines only`);
    changed.set(file, new Set(b.flatMap((l, i) => (l !== a[i] ? [i + 1] : []))));
  }
  for (const d of json.diagnostics) assert.ok(changed.get(d.file)?.has(d.line), `${d.file}:${d.line} (${d.rule}) is not a planted line`);
  assert.deepEqual([...new Set(json.diagnostics.map((d) => d.file))].sort(), [...changed.keys()].sort());
  assert.deepEqual(readdirSync(join(TWINS, 'broken')).sort(), readdirSync(join(TWINS, 'clean')).sort());
});
