import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { generatePki, planPki, PkiOptionsError, type PkiProgress } from '../../src/core/pki';

const NOW = new Date('2026-01-15T12:00:00Z');

test('plan: per-host trees under HOST/, shared CA at the top, every file listed before generation', () => {
  const perHost = planPki({ hosts: ['a.example.com', 'b.example.com'], now: NOW });
  assert.equal(perHost.profile, 'rsa');
  assert.deepEqual(perHost.days, { root: 7300, intermediate: 3650, leaf: 375 });
  assert.deepEqual(perHost.groups.map((g) => g.base), ['a.example.com', 'b.example.com']);
  assert.equal(perHost.paths.length, 24);
  assert.deepEqual(perHost.paths.slice(0, 6), [
    'a.example.com/1_root/certs/ca.cert.pem',
    'a.example.com/1_root/private/ca.key.pem',
    'a.example.com/2_intermediate/certs/intermediate.cert.pem',
    'a.example.com/2_intermediate/private/intermediate.key.pem',
    'a.example.com/2_intermediate/csr/intermediate.csr.pem',
    'a.example.com/2_intermediate/certs/ca-chain.cert.pem',
  ]);

  const shared = planPki({ hosts: ['a.example.com', 'b.example.com'], sharedCa: true, profile: 'ecdsa', now: NOW });
  assert.equal(shared.groups.length, 1);
  assert.equal(shared.paths.length, 18);
  assert.ok(shared.paths.includes('1_root/certs/ca.cert.pem'));
  assert.ok(shared.paths.includes('4_client/private/b.example.com.key.pem'));
});

test('plan: bad input is refused with a sentence naming the value', () => {
  const bad = (o: Partial<Parameters<typeof planPki>[0]>, message: RegExp) =>
    assert.throws(() => planPki({ hosts: ['a.example.com'], now: NOW, ...o }), (e: unknown) => e instanceof PkiOptionsError && message.test(e.message));
  bad({ hosts: [] }, /At least one host/);
  bad({ hosts: ['../etc'] }, /"\.\.\/etc" is not a DNS host name/);
  bad({ hosts: ['*.example.com'] }, /not a DNS host name/);
  bad({ sans: ['bad name'] }, /"bad name" is neither a DNS name, a wildcard nor an IP address/);
  bad({ days: { leaf: 0 } }, /Validity for leaf must be a whole number of days from 1 to 36500 \(got 0\)/);
  bad({ caPassphrase: 'abc' }, /at least 4 characters/);
  assert.deepEqual(planPki({ hosts: ['a.example.com'], sans: ['*.example.com', '10.0.0.1', '::1'], now: NOW }).sans, ['*.example.com', '10.0.0.1', '::1']);
});

test('generate: ECDSA tree in-process, dated from `now`, with progress events and stable file order', async () => {
  const events: PkiProgress[] = [];
  const tree = await generatePki({ hosts: ['a.example.com'], profile: 'ecdsa', days: { leaf: 10 }, now: NOW, onProgress: (e) => events.push(e) });
  assert.deepEqual(tree.files.map((f) => f.path), tree.plan.paths);
  assert.deepEqual(events.filter((e) => e.phase === 'keys').map((e) => e.done), [1, 2, 3, 4]);
  assert.equal(events.filter((e) => e.phase === 'signing').length, 7);
  const byPath = new Map(tree.files.map((f) => [f.path, f]));
  const server = new X509Certificate(byPath.get('a.example.com/3_application/certs/a.example.com.cert.pem')!.contents);
  assert.equal(new Date(server.validFrom).toISOString(), NOW.toISOString());
  assert.equal(new Date(server.validTo).toISOString(), '2026-01-25T12:00:00.000Z');
  assert.equal(server.subjectAltName, 'DNS:a.example.com');
  const intermediate = new X509Certificate(byPath.get('a.example.com/2_intermediate/certs/intermediate.cert.pem')!.contents);
  assert.ok(server.verify(intermediate.publicKey));
  assert.ok(server.checkIssued(intermediate));
  assert.equal(byPath.get('a.example.com/1_root/private/ca.key.pem')!.mode, 0o600);
  assert.equal(byPath.get('a.example.com/1_root/certs/ca.cert.pem')!.mode, 0o644);
  // Serials are random, positive and distinct.
  const serials = tree.files.filter((f) => f.path.endsWith('.cert.pem') && !f.path.endsWith('ca-chain.cert.pem')).map((f) => new X509Certificate(f.contents).serialNumber);
  assert.equal(new Set(serials).size, 4);
  for (const s of serials) assert.match(s, /^[0-7][0-9A-F]{31}$/);
});
