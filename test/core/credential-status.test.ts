import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Linter } from '../../src/core/lint';
import { credentialUses } from '../../src/core/index/credentials';
import { inspectCredential } from '../../src/core/inspect/views';
import { credentialStatus } from '../../src/core/inspect/status';
import { credentialMarkdown } from '../../src/core/inspect/markdown';
import { TEST_NOW } from '../support/golden';
import { certsDir } from '../support/certs';

const gateway = (mode: string, hosts: string[]) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: https, protocol: HTTPS }
      tls: { mode: ${mode}, credentialName: app-credential }
      hosts: [${hosts.join(', ')}]
`;

/** A workspace of one Gateway and one kubectl line over make-certs.sh's files; returns the lint and the status. */
function scenario(opts: { mode?: string; hosts?: string[]; cert: string; key: string; cacert?: string; extra?: string }) {
  const dir = certsDir();
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', gateway(opts.mode ?? 'SIMPLE', opts.hosts ?? ['good.example.com']));
  const line = `kubectl create -n istio-system secret generic app-credential --from-file=cert=pki/${opts.cert} --from-file=key=pki/${opts.key}${opts.cacert ? ` --from-file=cacert=pki/${opts.cacert}` : ''}\n${opts.extra ?? ''}`;
  index.setOtherFile('create.sh', new TextEncoder().encode(line));
  for (const f of [opts.cert, opts.key, opts.cacert].filter((x): x is string => !!x)) index.setOtherFile(`pki/${f}`, new Uint8Array(readFileSync(join(dir, f))));
  const findings = [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
  const use = credentialUses(index, DEFAULT_CONFIG)[0];
  const view = inspectCredential(use, { index, config: DEFAULT_CONFIG, now: TEST_NOW });
  return { findings, view, status: credentialStatus(view) };
}

test('status: the mark follows the worst finding, as Problems shows it; errors first; the headline names the check', () => {
  const s = scenario({ hosts: ['good.example.com', 'inventory.example.com'], cert: 'expired/fullchain.pem', key: 'expired/leaf.key' });
  assert.deepEqual(s.findings.map((f) => [f.severity, f.ruleId]).sort(), [['error', 'cert-expired'], ['error', 'cert-host-mismatch']]);
  assert.equal(s.status.status, 'error');
  assert.equal(s.status.problems.length, 2);
  assert.ok(s.status.headline.startsWith('✗ '), s.status.headline);
  assert.match(s.status.problems.map((p) => p.short).join(' | '), /SAN does not cover inventory\.example\.com/);
  assert.match(s.status.headline, /\(\+1 more\)$/);
});

test('status: a warning is ⚠, never ✓, and the CodeLens text says which check', () => {
  const s = scenario({ cert: 'expiring/fullchain.pem', key: 'expiring/leaf.key' });
  assert.deepEqual(s.findings.map((f) => [f.severity, f.ruleId]), [['warning', 'cert-expiring-soon']]);
  assert.equal(s.status.headline, '⚠ server certificate expires in 17 days');
});

test('status: an unresolved credential is ⚠ like its warning in Problems, not ✗', () => {
  const s = scenario({ cert: 'good/fullchain.pem', key: 'good/leaf.key', extra: 'kubectl create -n istio-system secret generic other --from-file=cert=pki/nothing.pem --from-file=key=pki/nothing.key\n' });
  const dir = certsDir();
  const index = new WorkspaceIndex();
  index.setYamlFile('gw.yaml', gateway('SIMPLE', ['good.example.com']).replace('app-credential', 'missing-credential'));
  index.setOtherFile('pki/good.pem', new Uint8Array(readFileSync(join(dir, 'good/fullchain.pem'))));
  const findings = [...new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW).values()].flat();
  assert.deepEqual(findings.map((f) => [f.severity, f.ruleId]), [['warning', 'credential-unresolved']]);
  const view = inspectCredential(credentialUses(index, DEFAULT_CONFIG)[0], { index, config: DEFAULT_CONFIG, now: TEST_NOW });
  assert.equal(credentialStatus(view).headline, '⚠ not found locally');
  assert.equal(s.status.headline, '✓ 2 certs · expires in 3326 days');
});

test('status: day counts agree between the diagnostic and the hover of an expired certificate', () => {
  const s = scenario({ cert: 'expired/fullchain.pem', key: 'expired/leaf.key' });
  const days = /\((\d+) days ago\)/.exec(s.findings.find((f) => f.ruleId === 'cert-expired')!.message)![1];
  const md = credentialMarkdown(s.view);
  assert.match(md, new RegExp(`expired ${days} days ago`));
  assert.doesNotMatch(md, new RegExp(`expired ${Number(days) + 1} days ago`));
});

test('status: the look-alike root bundle is an error everywhere, with no ✓ and its root marked', () => {
  const s = scenario({ mode: 'MUTUAL', cert: 'good/fullchain.pem', key: 'good/leaf.key', cacert: 'chains/lookalike-bundle.pem' });
  assert.ok(s.findings.some((f) => f.severity === 'error' && f.ruleId === 'client-ca-no-root'));
  assert.equal(s.status.status, 'error');
  const root = s.view.ca.find((c) => c.selfSigned)!;
  assert.deepEqual(root.checks.filter((k) => k.name === 'trust').map((k) => k.status), ['error']);
  assert.doesNotMatch(credentialMarkdown(s.view).split('\n')[0], /✅/);
});
