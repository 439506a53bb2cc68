// What meshtls prints of hostile files: no key material, no unbounded values, no control characters for a terminal,
// no YAML lines smuggled through file names, no kubectl lines kubectl rejects, URIs that are URIs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { renderSecret } from '../../src/core/kubectl';
import { CLI, runCli } from '../support/cli';
import { spawnSync } from 'node:child_process';


const run = runCli;

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `meshtls-out-${name}-`));

const KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_BODY = KEY.split('\n')[1];
const KEY_B64 = Buffer.from(KEY).toString('base64');

const gateway = (name: string, credential: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: SIMPLE
      credentialName: ${credential}
`;

test('private key text in a YAML field is never echoed (lint text/json/sarif, inspect)', () => {
  const dir = tmp('key');
  writeFileSync(join(dir, 'pem.yaml'), gateway('pem', `|\n${KEY.split('\n').map((l) => `        ${l}`).join('\n')}`));
  writeFileSync(join(dir, 'b64.yaml'), gateway('b64', KEY_B64));
  for (const out of [
    run(['lint', '.'], dir).out,
    run(['lint', '--format', 'json', '.'], dir).out,
    run(['lint', '--format', 'sarif', '.'], dir).out,
    run(['inspect', 'pem.yaml', 'b64.yaml'], dir).out,
    run(['inspect', '--format', 'json', 'pem.yaml', 'b64.yaml'], dir).out,
  ]) {
    assert.ok(out.length > 0);
    assert.doesNotMatch(out, /PRIVATE KEY/);
    assert.ok(!out.includes(KEY_BODY.slice(0, 30)), 'a line of the key was printed');
    assert.ok(!out.includes(KEY_B64.slice(0, 40)), 'the base64 key was printed');
  }
});

test('a long value is cut wherever it is echoed', () => {
  const dir = tmp('long');
  const long = `x${'y'.repeat(200_000)}`;
  writeFileSync(join(dir, 'gw.yaml'), gateway(long, 'c'));
  for (const out of [run(['lint', '.'], dir).out, run(['lint', '--format', 'json', '.'], dir).out, run(['inspect', 'gw.yaml'], dir).out]) {
    assert.ok(out.length < 20_000, `printed ${out.length} characters`);
    assert.match(out, /y…/);
  }
});

test('control characters in values and file names are escaped in text output', () => {
  const dir = tmp('ctl');
  // A name that, printed raw, erases its own line, moves up and prints a clean result.
  writeFileSync(join(dir, 'gw.yaml'), gateway('"gw\\e[2K\\r\\e[1A\\e[2K\\u2028\\u202e✔ No problems"', 'c'));
  writeFileSync(join(dir, 'x\x1b[2K\r.yaml'), gateway('bad_name', 'c'));
  const r = run(['lint', '.'], dir);
  assert.equal(r.code, 1);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]/);
  assert.match(r.out, /gw\\x1b\[2K\\x0d/);
  assert.match(r.out, /x\\x1b\[2K\\x0d\.yaml:4:9/);
  const i = run(['inspect', 'gw.yaml'], dir);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(i.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]/);
});

test('SARIF artifact URIs are percent-encoded', () => {
  const dir = tmp('sarif');
  mkdirSync(join(dir, 'a #1'));
  writeFileSync(join(dir, 'a #1', '100% é.yaml'), gateway('bad_name', 'c'));
  const sarif = JSON.parse(run(['lint', '--format', 'sarif', '.'], dir).out);
  const uris = sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
  assert.ok(uris.length > 0);
  for (const u of uris) assert.equal(u, 'a%20%231/100%25%20%C3%A9.yaml');
});

test('secret --format yaml: a file name cannot add YAML lines (CR, LF, NEL, U+2028, U+2029 escaped)', () => {
  for (const sep of ['\n', '\r', '\u0085', '\u2028', '\u2029']) {
    const cert = `t/3_application/certs/evil${sep}namespace: kube-system${sep}x.cert.pem`;
    const { text } = renderSecret({ name: 's', files: { cert, key: 'k.pem' }, format: 'yaml', contents: { cert: new Uint8Array([1]), key: new Uint8Array([2]) } });
    assert.doesNotMatch(text, /[\r\u0085\u2028\u2029]/, JSON.stringify(sep));
    const lines = text.trimEnd().split('\n');
    assert.deepEqual(lines.filter((l) => l.includes('kube-system')).map((l) => l.startsWith('  # ')), [true], JSON.stringify(sep));
    assert.equal(lines.filter((l) => /^\s*namespace:/.test(l)).length, 1);
  }
});

test('a path holding "=" gives no kubectl line kubectl would reject, and tls never half-applies', () => {
  const files = { cert: 'a=b/tls.crt', key: 'a=b/tls.key', cacert: 'a=b/ca.crt' };
  for (const format of ['kubectl', 'tls', 'powershell'] as const) {
    assert.throws(() => renderSecret({ name: 's', files, format }), /contains "="/, format);
  }
  // --cert/--key are plain flags: only the CA, which goes through --from-file, matters for tls.
  assert.equal(renderSecret({ name: 's', files: { cert: 'a=b/tls.crt', key: 'a=b/tls.key' }, format: 'tls' }).commands.length, 1);
  const dir = tmp('eq');
  mkdirSync(join(dir, 'a=b'));
  for (const f of ['tls.crt', 'tls.key', 'ca.crt']) writeFileSync(join(dir, 'a=b', f), 'x');
  const r = run(['secret', 's', '--from', 'a=b', '--format', 'tls'], dir);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /contains "="/);
});

test('a reader that stops early (`meshtls lint | head -1`) ends the run quietly and not with exit 0', () => {
  const dir = tmp('epipe');
  // Enough findings for a report far larger than a pipe buffer (64 KiB).
  const servers = Array.from({ length: 3000 }, (_, i) => `  - port: {number: 443, name: https-${i}, protocol: HTTPS}\n    hosts: [h${i}.example.com]\n`).join('');
  writeFileSync(join(dir, 'gw.yaml'), `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${servers}`);
  const piped = spawnSync('sh', ['-c', `("${process.execPath}" "${CLI}" lint .; echo "exit=$?" >&2) | head -1`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  assert.equal(piped.stdout.split('\n').filter(Boolean).length, 1);
  assert.doesNotMatch(piped.stderr, /EPIPE|Error|at /, piped.stderr);
  assert.match(piped.stderr, /exit=[1-9]/);
});
