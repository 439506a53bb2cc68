// Inputs built to hang meshtls or exhaust its memory. Each must finish with bounded memory; the bounds are generous
// (a loaded CI machine), the timings live in bench/ (cross-stress, lint). Run through /usr/bin/time for the peak RSS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { hostileInputs, many, gateway } from '../../bench/hostile-inputs';
import { longChainWorkspace, manySansWorkspace } from '../support/big-chain';

const CLI = resolve('dist/cli.js');
/** Bounds far above what each case needs (under 0.5 GB and a few CPU seconds on a quiet machine). */
const MAX_RSS_MB = 500;
const MAX_CPU_S = 60;
const skip = existsSync('/usr/bin/time') ? false : 'needs /usr/bin/time for the peak memory';

function measured(args: string[], cwd: string) {
  const stats = join(cwd, '.time');
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%U %S %M', process.execPath, CLI, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000, maxBuffer: 512 * 1024 * 1024,
  });
  const [user, sys, kb] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { code: r.status, out: r.stdout, err: r.stderr, cpu: user + sys, rssMb: kb / 1024 };
}

for (const c of hostileInputs()) {
  const maxRss = c.maxRssMb ?? MAX_RSS_MB;
  test(`${c.name}: finishes within ${maxRss} MB`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), `meshtls-scale-`));
    for (const [name, text] of c.files()) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = measured(['lint', '--format', 'json', '.'], dir);
    // The text form too, where the column width was a Math.max over every finding.
    if (c.maxRssMb) assert.match(measured(['lint', '.'], dir).out, /problems/);
    assert.ok(r.rssMb < maxRss, `${r.rssMb.toFixed(0)} MB`);
    assert.ok(r.cpu < (c.maxCpuS ?? MAX_CPU_S), `${r.cpu.toFixed(1)} s CPU`);
    assert.equal(r.err.replace(/^meshtls lint: .*\n/gm, ''), '');
    const json = JSON.parse(r.out);
    assert.deepEqual(json.diagnostics.filter((d: { rule: string }) => d.rule === 'internal-error'), []);
    c.check(json);
  });
}

// A CA bundle that is a 6,000-certificate chain: every CA certificate of the bundle is verified against the bundle,
// and each that cannot be (past OpenSSL's depth of 100) is a finding pointing into the 3.6 MB file. Each such pointer
// hashed the whole file again: 35 s CPU and more under load. The bound here is tighter than the others (the rest of
// the work is a few seconds), still several times what a loaded machine needs.
test('a CA bundle that is a 6,000-certificate chain: bounded memory and CPU, the chain reported as too long', { skip, timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), `meshtls-scale-`));
  for (const [name, text] of await longChainWorkspace({ n: 6_000, bundle: 'chain' })) writeFileSync(join(dir, name), text);
  const r = measured(['lint', '--format', 'json', '.'], dir);
  assert.ok(r.rssMb < MAX_RSS_MB, `${r.rssMb.toFixed(0)} MB`);
  assert.ok(r.cpu < 20, `${r.cpu.toFixed(1)} s CPU`);
  const json = JSON.parse(r.out);
  const rules = new Set(json.diagnostics.map((d: { rule: string }) => d.rule));
  assert.ok(!rules.has('internal-error'));
  assert.ok(json.diagnostics.some((d: { rule: string; message: string }) => d.rule === 'cert-chain-invalid' && /certificate chain too long at "Big Intermediate 101"/.test(d.message)), [...rules].join(', '));
  // The 5,897 intermediates the bundle cannot verify are one finding, not one each.
  const noRoot = json.diagnostics.filter((d: { rule: string }) => d.rule === 'client-ca-no-root');
  assert.equal(noRoot.length, 1);
  assert.match(noRoot[0].message, /trusts no client of 5,897 of its 6,000 certificates in ca\.pem: "Big Intermediate 1" \(.*, … and 5,894 more\.$/);
});

// cert-host-mismatch named every SAN in the message for every host: 20,000 SANs × 1,500 hosts made 1,500 messages of
// 600 KB each, and the JSON output overflowed V8's string limit ("Invalid string length").
test('a certificate with 20,000 SANs on a Gateway with 1,500 other hosts: every host told, messages bounded', { skip, timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), `meshtls-scale-`));
  for (const [name, text] of await manySansWorkspace({ sans: 20_000, hosts: 1_500 })) writeFileSync(join(dir, name), text);
  const r = measured(['lint', '--format', 'json', '.'], dir);
  assert.equal(r.err.replace(/^meshtls lint: .*\n/gm, ''), '');
  assert.ok(r.rssMb < MAX_RSS_MB, `${r.rssMb.toFixed(0)} MB`);
  assert.ok(r.cpu < MAX_CPU_S, `${r.cpu.toFixed(1)} s CPU`);
  const mismatches = JSON.parse(r.out).diagnostics.filter((d: { rule: string }) => d.rule === 'cert-host-mismatch');
  assert.equal(mismatches.length, 1_500);
  assert.match(mismatches[0].message, /\(it has san-0\.covered\.example\.com, .*, … and 19,990 more\)\.$/);
  assert.ok(mismatches.every((d: { message: string }) => d.message.length < 1_000));
});

// `inspect dir/gw.yaml` loaded and parsed every file below dir/ to resolve one file's credentials: a 9-line Gateway
// beside a big repository took 11 s and 2 GB. Now only what the file's credentials can come from is loaded.
test('inspect of one Gateway beside 90 MB of unrelated YAML loads only what its credentials need', { skip, timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), `meshtls-scale-`));
  cpSync(resolve('examples/foocorp'), dir, { recursive: true });
  mkdirSync(join(dir, 'big'));
  const text = many(12_000, (i) => gateway(i));
  for (let f = 0; f < 20; f++) writeFileSync(join(dir, 'big', `g${f}.yaml`), text);
  const r = measured(['inspect', '--now', '2026-06-01', 'gateway.yaml'], dir);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.ok(r.rssMb < 300, `${r.rssMb.toFixed(0)} MB`);
  assert.ok(r.cpu < MAX_CPU_S, `${r.cpu.toFixed(1)} s CPU`);
  for (const name of ['frontend', 'inventory']) {
    assert.match(r.out, new RegExp(`credential "${name}-credential" \\(MUTUAL\\)[^\\n]*\\n  from kubectl line in create-secrets\\.sh\\n`));
    assert.match(r.out, new RegExp(`cert +← ${name}\\.foocorp\\.com/3_application/certs/${name}\\.foocorp\\.com\\.cert\\.pem\\n`));
  }
  assert.doesNotMatch(r.out, /not found|is not in the workspace/);
});
