import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportToProblems, gatewayHostProblem, isIPOrCidr, isIPv6, wildcardDomainProblem, canonicalJson } from '../../src/core/istio/validation';
import { re2Problem } from '../../src/core/rules/virtual-service/re2';
import { hostSubsetOf, hostsOverlap } from '../../src/core/rules/virtual-service/routes';
import { lintTexts } from '../support/golden';

test('wildcardDomainProblem mirrors Istio HOST-WILDCARD', () => {
  for (const ok of ['reviews', 'a.example.com', '*.example.com', '*', '*foo.com', '*-foo.com', 'A.Example.COM', 'example.com.', 'x'.repeat(63) + '.com']) {
    assert.equal(wildcardDomainProblem(ok), undefined, ok);
  }
  assert.equal(wildcardDomainProblem(''), 'it is empty');
  assert.equal(wildcardDomainProblem('a.' + 'b'.repeat(254)), 'it is longer than 255 characters');
  assert.equal(wildcardDomainProblem('foo.*.com'), 'label "*" is not a valid DNS label');
  assert.equal(wildcardDomainProblem('a_b.com'), 'label "a_b" is not a valid DNS label');
  assert.equal(wildcardDomainProblem('a.' + 'x'.repeat(64) + '.com'), `label "${'x'.repeat(64)}" is not a valid DNS label`);
  assert.equal(wildcardDomainProblem('a..com'), 'label "" is not a valid DNS label');
  assert.equal(wildcardDomainProblem('10.0.0.1'), 'the top-level domain "1" is all digits');
});

test('gatewayHostProblem mirrors Istio HOST-GATEWAY', () => {
  for (const ok of ['*', '*.example.com', 'a.example.com', './a.example.com', '*/a.example.com', 'ns-1/*', '192.168.0.1']) {
    assert.equal(gatewayHostProblem(ok), undefined, ok);
  }
  assert.match(gatewayHostProblem('reviews') ?? '', /short names/);
  // An IPv6 literal has no dot, so Istio rejects it as a short name; meshtls keeps that verdict.
  assert.match(gatewayHostProblem('::1') ?? '', /short names/);
  assert.match(gatewayHostProblem('*bar.com') ?? '', /partial wildcards/);
  assert.match(gatewayHostProblem('foo.*.com') ?? '', /partial wildcards/);
  assert.match(gatewayHostProblem('ns/') ?? '', /both be non-empty/);
  assert.match(gatewayHostProblem('~/a.example.com') ?? '', /namespace "~"/);
});

test('IP and CIDR parsing', () => {
  for (const ok of ['::1', '::', 'fe80::1%eth0', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1', '1:2:3:4:5:6:7:8']) assert.ok(isIPv6(ok), ok);
  for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '12345::', 'fe80::1%', '1.2.3.4']) assert.ok(!isIPv6(bad), bad);
  for (const ok of ['10.0.0.0/8', '10.0.0.1', 'fd00::/8', '0.0.0.0/0']) assert.ok(isIPOrCidr(ok), ok);
  for (const bad of ['10.0.0.0/33', '10.0.0/8', '01.2.3.4', 'fd00::/129', '10.0.0.0/', 'a/8']) assert.ok(!isIPOrCidr(bad), bad);
});

test('exportToProblems', () => {
  assert.deepEqual(exportToProblems(['.', 'shop', 'x'], 'shop').map((p) => [p.index, p.firstIndex]), [[1, 0]]);
  assert.deepEqual(exportToProblems(['*', 'a'], 'shop').map((p) => [p.index, p.firstIndex]), [[1, 0]]);
  assert.deepEqual(exportToProblems(['*'], 'shop'), []);
  assert.equal(exportToProblems(['~'], 'shop').length, 1);
});

test('re2Problem gives Go regexp verdicts: JavaScript-only syntax is refused, RE2-only syntax accepted', () => {
  for (const ok of ['^/api/.*', '(?i)shop', '(?P<id>[0-9]+)', '[)(]', '[]a]', '\\(literal\\)', 'a{2,3}', '\\Q.*\\E', '[[:alpha:]]+', '\\pL']) {
    assert.equal(re2Problem(ok), undefined, ok);
  }
  const cases: [string, string][] = [
    ['?', 'missing argument to repetition operator: `?`'],
    ['a{2,1}', 'invalid repeat count: `{2,1}`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['(?=x)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?<!x)y', 'invalid named capture: `(?<!x)y`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['a++', 'invalid nested repetition operator: `++`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['[a', 'missing closing ]: `[a`'],
    ['a\\', 'trailing backslash at end of expression'],
  ];
  for (const [re, why] of cases) assert.equal(re2Problem(re), why, re);
});

test('host subset and overlap follow Istio host.Name semantics', () => {
  assert.ok(hostSubsetOf('x.a.com', '*.a.com'));
  assert.ok(hostSubsetOf('*.a.com', '*.com'));
  assert.ok(hostSubsetOf('*.a.com', '*'));
  assert.ok(!hostSubsetOf('*.com', '*.a.com'));
  assert.ok(!hostSubsetOf('a.com', 'b.com'));
  assert.ok(hostsOverlap('*.com', 'x.a.com'));
  assert.ok(hostsOverlap('*.a.com', '*.com'));
  assert.ok(!hostsOverlap('a.com', 'b.com'));
});

test('canonicalJson ignores key order and the skipped key', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }], name: 'n' }, 'name'), canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
});

test('virtual-service-gateway-legacy-format: the quick fix rewrites name.namespace', () => {
  const text = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: shop}\nspec:\n  hosts: [a.example.com]\n  gateways: ["shop-gw.istio-system"]\n  http:\n  - route:\n    - destination: {host: a}\n';
  const [f] = (lintTexts({ 'v.yaml': text }).get('v.yaml') ?? []).filter((x) => x.ruleId === 'virtual-service-gateway-legacy-format');
  assert.equal(text.slice(f.start, f.end), '"shop-gw.istio-system"');
  const e = f.fixes![0].edits[0];
  const fixed = text.slice(0, e.start) + e.newText + text.slice(e.end);
  assert.ok(fixed.includes('gateways: [istio-system/shop-gw]'));
  // The Gateway itself is not in this file, so only the cross-resource "not found" finding may remain.
  assert.deepEqual((lintTexts({ 'v.yaml': fixed }).get('v.yaml') ?? []).map((x) => x.ruleId), ['virtual-service-gateway-not-found']);
  // A longer DNS form is ambiguous, so it gets the warning without a fix.
  const long = text.replace('shop-gw.istio-system', 'shop-gw.istio-system.svc.cluster.local');
  const [g] = (lintTexts({ 'v.yaml': long }).get('v.yaml') ?? []).filter((x) => x.ruleId === 'virtual-service-gateway-legacy-format');
  assert.equal(g.fixes, undefined);
});
