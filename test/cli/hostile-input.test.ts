// What a pull request can put in front of `meshtls lint` in CI: each case once made the gate pass something it did not
// check, hang, or leak. Every test runs the built CLI in a child process, as CI does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../support/cli';


const run = runCli;

function sh(script: string, cwd: string) {
  const r = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `meshtls-hostile-${name}-`));

const gateway = (name: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts: [${name}.example.com]
${extra}`;

const BROKEN = `apiVersion: networking.istio.io/v1
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
    hosts: [broken.example.com]
`;

test('past the open-file limit every file is still checked (ulimit -n 64, 301 files)', () => {
  const dir = tmp('ulimit');
  for (let i = 0; i < 300; i++) writeFileSync(join(dir, `gw-${String(i).padStart(3, '0')}.yaml`), gateway(`gw-${i}`));
  writeFileSync(join(dir, 'gw-150-broken.yaml'), BROKEN);
  const r = sh(`ulimit -n 64; exec "${process.execPath}" "${CLI}" lint --format json .`, dir);
  assert.equal(r.code, 1, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.summary.files, 301);
  assert.ok(json.diagnostics.some((d: { rule: string; file: string }) => d.rule === 'gateway-tls-required' && d.file === 'gw-150-broken.yaml'));
  assert.ok(!json.diagnostics.some((d: { rule: string }) => d.rule === 'file-skipped' || d.rule === 'file-unreadable'), r.out.slice(0, 2000));
});

test('a file that cannot be read is an error that fails the run', () => {
  const dir = tmp('unreadable');
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'ok.yaml'), gateway('ok'));
  writeFileSync(join(dir, 'locked.yaml'), BROKEN);
  chmodSync(join(dir, 'locked.yaml'), 0);
  // root reads every file whatever its mode, so as root the CLI runs as nobody.
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const s = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...asNobody });
  const r = { code: s.status, out: s.stdout, err: s.stderr };
  assert.equal(r.code, 1, r.out);
  const d = JSON.parse(r.out).diagnostics.find((x: { file: string }) => x.file === 'locked.yaml');
  assert.equal(d.rule, 'file-unreadable');
  assert.equal(d.severity, 'error');
});

test('a symlink out of the workspace is not followed; a symlink inside it is', () => {
  const outside = tmp('outside');
  writeFileSync(join(outside, 'gw.yaml'), BROKEN);
  const dir = tmp('symlink');
  writeFileSync(join(dir, 'ok.yaml'), gateway('ok'));
  symlinkSync('/', join(dir, 'r'));
  symlinkSync(outside, join(dir, 'elsewhere'));
  symlinkSync('/proc/self/pagemap', join(dir, 'ca.pem'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'inner.yaml'), gateway('inner'));
  symlinkSync(join(dir, 'sub'), join(dir, 'alias'));
  const r = run(['lint', '--format', 'json', '.'], dir, { timeout: 30_000 });
  assert.equal(r.signal, null, 'lint must not walk the whole file system');
  const json = JSON.parse(r.out);
  assert.ok(!json.diagnostics.some((d: { file: string }) => d.file.startsWith('elsewhere/')), 'followed a link out of the workspace');
  const skipped = json.diagnostics.filter((d: { rule: string }) => d.rule === 'file-skipped').map((d: { file: string; message: string }) => `${d.file}: ${d.message}`);
  assert.ok(skipped.some((s: string) => /^r: .*outside/.test(s)), skipped.join('\n'));
  assert.ok(skipped.some((s: string) => /^ca\.pem: .*outside/.test(s)), skipped.join('\n'));
  assert.equal(r.code, 0, r.out);
});

test('a file that claims no size but never ends is read only up to the cap', () => {
  const dir = tmp('proc');
  // /dev/zero reads forever; explicitly named, it must be refused by a byte cap, never read to the end.
  const r = run(['inspect', '/dev/zero'], dir, { timeout: 30_000 });
  assert.equal(r.signal, null);
  assert.equal(r.code, 2);
  const big = run(['inspect', '/proc/self/pagemap'], dir, { timeout: 30_000 });
  assert.equal(big.signal, null);
});

test('a FIFO is skipped, also one named .meshtls.yaml in the folder or a parent', () => {
  const parent = tmp('fifo');
  const dir = join(parent, 'ws');
  mkdirSync(dir);
  assert.equal(sh(`mkfifo .meshtls.yaml ws/.meshtls.yaml ws/pipe.yaml`, parent).code, 0);
  writeFileSync(join(dir, 'gw.yaml'), BROKEN);
  const r = run(['lint', '--format', 'json', '.'], dir, { timeout: 20_000 });
  assert.equal(r.signal, null, 'blocked on a FIFO');
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out);
  assert.ok(json.diagnostics.some((d: { rule: string }) => d.rule === 'gateway-tls-required'));
  const named = run(['lint', '--format', 'json', 'pipe.yaml'], dir, { timeout: 20_000 });
  assert.equal(named.signal, null, 'blocked on a FIFO named on the command line');
});

test('UTF-16 YAML (LE and BE, with BOM) is decoded and checked', () => {
  const dir = tmp('utf16');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BROKEN.replace('broken', 'le'), 'utf16le')]);
  const beBody = Buffer.from(BROKEN.replace('broken', 'be'), 'utf16le');
  beBody.swap16();
  writeFileSync(join(dir, 'le.yaml'), le);
  writeFileSync(join(dir, 'be.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]));
  const r = run(['lint', '--format', 'json', '.'], dir);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out);
  const files = json.diagnostics.filter((d: { rule: string }) => d.rule === 'gateway-tls-required').map((d: { file: string; line: number }) => `${d.file}:${d.line}`);
  assert.deepEqual(files.sort(), ['be.yaml:13', 'le.yaml:13']);
});

test('CR-only line ends are line ends, as kubectl reads them', () => {
  const dir = tmp('cr');
  writeFileSync(join(dir, 'gw.yaml'), BROKEN.replace(/\n/g, '\r'));
  const r = run(['lint', '--format', 'json', '.'], dir);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.diagnostics.map((d: { rule: string; line: number }) => `${d.rule}:${d.line}`), ['gateway-tls-required:13']);
});

test('--config naming a missing file or a folder: a one-line message and exit 2, no stack trace', () => {
  const dir = tmp('config');
  writeFileSync(join(dir, 'gw.yaml'), gateway('ok'));
  for (const cmd of [['lint', '--config', 'nope.yaml', '.'], ['lint', '--config', '.', '.'], ['inspect', '--config', 'nope.yaml', 'gw.yaml']]) {
    const r = run(cmd, dir);
    assert.equal(r.code, 2, cmd.join(' '));
    assert.doesNotMatch(r.err, /\n\s+at /, r.err);
    assert.match(r.err, /--config (nope\.yaml|\.)/);
    assert.doesNotMatch(r.out, /gw\.yaml/, 'inspect must not blame the YAML file');
  }
});

test('an ignore glob built to make a RegExp backtrack does not hang the walk', () => {
  const dir = tmp('glob');
  writeFileSync(join(dir, '.meshtls.yaml'), `ignore:\n  - "${'**a'.repeat(12)}**c"\n`);
  writeFileSync(join(dir, `${'a'.repeat(200)}.yaml`), gateway('long'));
  const r = run(['lint', '.'], dir, { timeout: 30_000 });
  assert.equal(r.signal, null);
  assert.equal(r.code, 0, r.out + r.err);
});
