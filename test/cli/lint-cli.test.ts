import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';


const run = runCli;

const BROKEN_GW = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: broken
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts: [a.example.com]
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-cli-'));
  writeFileSync(join(dir, 'gw.yaml'), BROKEN_GW);
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'node_modules', 'ignored.yaml'), BROKEN_GW);
  return dir;
}

test('the bundled FooCorp example lints clean and exits 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-foocorp-'));
  cpSync(resolve('examples/foocorp'), dir, { recursive: true });
  const r = run(['lint', '.'], dir);
  assert.equal(r.err, '');
  assert.match(r.out, /No problems in \d+ files?\./);
  assert.equal(r.code, 0);
});

test('text output: path:line:col severity rule message, summary, exit 1 on errors; node_modules skipped', () => {
  const r = run(['lint'], workspace());
  assert.equal(r.code, 1);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0], /^gw\.yaml:13:17\s+error\s+gateway-tls-required\s+Server "https" uses protocol HTTPS but has no tls settings\.$/);
  assert.match(lines[lines.length - 1], /1 problem \(1 error, 0 warnings, 0 notes\) in 1 file checked/);
  assert.doesNotMatch(r.out, /node_modules/);
});

test('json output has 1-based positions, relative paths and a summary', () => {
  const r = run(['lint', '--format', 'json'], workspace());
  const json = JSON.parse(r.out);
  assert.deepEqual(json.diagnostics[0], {
    file: 'gw.yaml', line: 13, column: 17, endLine: 13, endColumn: 22, severity: 'error', rule: 'gateway-tls-required',
    message: 'Server "https" uses protocol HTTPS but has no tls settings.', istioCode: 'IST0106',
  });
  assert.deepEqual(json.summary, { files: 1, errors: 1, warnings: 0, infos: 0, hints: 0 });
});

test('sarif output is SARIF 2.1.0 with rules and a located result', () => {
  const r = run(['lint', '--format=sarif'], workspace());
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'meshtls');
  const res = run0.results[0];
  assert.equal(res.ruleId, 'gateway-tls-required');
  assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'gateway-tls-required');
  assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 13, startColumn: 17, endLine: 13, endColumn: 22 });
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'gw.yaml');
});

test('--fail-on warning vs error and usage errors exit 2', () => {
  const dir = workspace();
  writeFileSync(join(dir, '.meshtls.yaml'), 'severity:\n  gateway-tls-required: warning\n');
  assert.equal(run(['lint'], dir).code, 0);
  assert.equal(run(['lint', '--fail-on', 'warning'], dir).code, 1);
  const bad = run(['lint', '--format', 'xml'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be one of text, json, sarif/);
  const missing = run(['lint', 'nope'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope: no such file or directory/);
});

test('bad input: invalid YAML is one finding at the parser position; binary and huge files are skipped with a message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-bad-'));
  writeFileSync(join(dir, 'broken.yaml'), 'kind: Gateway\nspec: [1, 2\n');
  writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x6b, 0x00, 0xff, 0x10]));
  writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(6 * 1024 * 1024, 0x61));
  const r = run(['lint', '--format', 'json'], dir);
  assert.equal(r.code, 1);
  const diags = JSON.parse(r.out).diagnostics as { file: string; rule: string; message: string; line: number }[];
  const byFile = Object.fromEntries(diags.map((d) => [d.file, d]));
  assert.equal(byFile['broken.yaml'].rule, 'yaml-syntax');
  assert.equal(byFile['binary.yaml'].rule, 'file-skipped');
  assert.match(byFile['binary.yaml'].message, /binary/);
  assert.match(byFile['huge.yaml'].message, /larger than 5 MB/);
});

test('the package.json version is what --version prints', () => {
  const r = run(['--version'], process.cwd());
  assert.equal(r.out.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
});
