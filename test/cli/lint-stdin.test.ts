import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli';

const NOW = '2026-11-23';

const run = (args: string[], cwd: string, input: string | Buffer) => runCli(args, cwd, { input });

const BROKEN_GW = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: broken, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
`;

/** The walkthrough's VirtualService, pointing at the Gateway that lives in examples/foocorp. */
const VS = readFileSync('examples/foocorp/virtualservices.yaml', 'utf8');

function foocorp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-stdin-'));
  cpSync(resolve('examples/foocorp'), join(dir, 'foocorp'), { recursive: true });
  return dir;
}

test('lint - reads a YAML stream from standard input and names it <stdin>', () => {
  const r = run(['lint', '-', '--now', NOW], tmpdir(), `---\n${BROKEN_GW}`);
  assert.equal(r.err, '');
  assert.equal(r.code, 1);
  assert.match(r.out, /^<stdin>:8:48 +error +gateway-tls-required /m);
  assert.match(r.out, /in 1 file checked\.$/m);
});

test('--stdin-filename names the stream; a .md name reads it as a page with embedded YAML', () => {
  const named = run(['lint', '-', '--stdin-filename', 'overlays/prod/rendered.yaml', '--format', 'json', '--now', NOW], tmpdir(), BROKEN_GW);
  const json = JSON.parse(named.out) as { diagnostics: { file: string; line: number; rule: string }[] };
  assert.deepEqual(json.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`), ['overlays/prod/rendered.yaml:7 gateway-tls-required']);
  const page = run(['lint', '-', '--stdin-filename', 'guide.md', '--now', NOW], tmpdir(), `# Guide\n\nApply it:\n\n\`\`\`yaml\n${BROKEN_GW}\`\`\`\n`);
  assert.match(page.out, /^guide\.md:12:48 +error +gateway-tls-required /m);
  const usage = run(['lint', '--stdin-filename', 'x.yaml'], tmpdir(), '');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--stdin-filename needs "-"/);
});

test('with a path, the workspace resolves references for the stream and only the stream is reported', () => {
  const dir = foocorp();
  const alone = run(['lint', '-', '--now', NOW], dir, VS);
  // Alone, the Gateway may well live elsewhere: a warning that says it is not here, not an error.
  assert.match(alone.out, /<stdin>:\d+:\d+ +warning +virtual-service-gateway-not-found +Gateway "foocorp\/foocorp-gateway" is not in this workspace/);
  const withContext = run(['lint', '-', 'foocorp', '--now', NOW], dir, VS);
  assert.equal(withContext.code, 0, withContext.out);
  assert.match(withContext.out, /No problems in 4 files\./);
  // A broken file in the workspace is context, not output.
  writeFileSync(join(dir, 'foocorp', 'broken.yaml'), BROKEN_GW);
  const quiet = run(['lint', '-', 'foocorp', '--now', NOW], dir, VS);
  assert.equal(quiet.code, 0, quiet.out);
});

test('a rendered copy of workspace resources is not in conflict with its sources; conflicts inside the stream are', () => {
  const dir = foocorp();
  const gw = readFileSync(join(dir, 'foocorp', 'gateway.yaml'), 'utf8');
  const same = run(['lint', '-', 'foocorp', '--now', NOW], dir, gw);
  assert.equal(same.code, 0, same.out);
  const twice = run(['lint', '-', 'foocorp', '--now', NOW], dir, `${gw}---\n${gw.replace('name: foocorp-gateway', 'name: copy')}`);
  assert.equal(twice.code, 1);
  assert.match(twice.out, /<stdin>:\d+:\d+ +error +gateway-conflict /);
  assert.doesNotMatch(twice.out, /foocorp\/gateway\.yaml/, 'related locations stay inside the stream');
});

test('the stream replaces the workspace file it is named after', () => {
  const dir = foocorp();
  const r = run(['lint', '-', 'foocorp', '--stdin-filename', 'foocorp/gateway.yaml', '--now', NOW], dir, BROKEN_GW);
  assert.match(r.out, /^foocorp\/gateway\.yaml:7:\d+ +error +gateway-tls-required /m);
  assert.match(r.out, /in 3 files checked/);
});

test('standard input larger than the per-file cap is an I/O error', () => {
  const r = run(['lint', '-'], tmpdir(), Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
  assert.equal(r.code, 2);
  assert.match(r.err, /standard input is larger than 5 MB/);
});

test('kubectl kustomize output piped in (the real binary)', (t) => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('kubectl is not on the PATH; the kustomize pipe is not exercised');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'meshtls-kustomize-'));
  writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: prod\nnamePrefix: prod-\nresources: [gateway.yaml]\n');
  writeFileSync(join(dir, 'gateway.yaml'), BROKEN_GW.replace('namespace: istio-system', 'namespace: base'));
  const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  assert.equal(rendered.status, 0, rendered.stderr);
  const r = run(['lint', '-', '--format', 'json', '--now', NOW], dir, rendered.stdout);
  const json = JSON.parse(r.out) as { diagnostics: { file: string; rule: string; message: string }[] };
  const tls = json.diagnostics.find((d) => d.rule === 'gateway-tls-required');
  assert.ok(tls, r.out);
  assert.equal(tls.file, '<stdin>');
  assert.match(rendered.stdout, /name: prod-broken\n  namespace: prod/);
});
