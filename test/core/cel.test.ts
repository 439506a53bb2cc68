// Kubernetes' CEL libraries as the apiserver defines them (k8s.io/apiserver/pkg/cel/library, cel-go's duration and
// RE2 matches), on the evaluator meshtls uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCel, isTransitionRule, parseIP, parseRequestURI, rewriteCalls } from '../../src/core/istio/cel';
import { parseGoDuration } from '../../src/core/istio/duration';
import { re2 } from '../../src/core/istio/re2';

function run(rule: string, self: unknown): unknown {
  const p = compileCel(rule);
  if ('error' in p) throw new Error(p.error);
  return p({ self });
}

function fails(rule: string, self: unknown): string {
  try {
    run(rule, self);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`${rule} did not fail on ${JSON.stringify(self)}`);
}

test("duration() is Go's time.ParseDuration, compared as CEL durations", () => {
  const atLeast1ms = "duration(self) >= duration('1ms')";
  assert.equal(run(atLeast1ms, '1ms'), true);
  assert.equal(run(atLeast1ms, '999us'), false);
  assert.equal(run(atLeast1ms, '999µs'), false);
  assert.equal(run(atLeast1ms, '0.001s'), true);
  assert.equal(run(atLeast1ms, '1h30m'), true);
  assert.equal(run(atLeast1ms, '0'), false); // Go accepts a bare 0
  assert.equal(run("duration(self) == duration('90m')", '1.5h'), true);
  for (const bad of ['1d', 'ms', '', '1', '.s', '5 s', '1e3s']) assert.match(fails(atLeast1ms, bad), /invalid duration/, bad);
  assert.equal(parseGoDuration('-1.5s'), -1_500_000_000n);
  assert.equal(parseGoDuration('+2m'), 120_000_000_000n);
  assert.equal(parseGoDuration('1.s'), 1_000_000_000n);
  assert.equal(parseGoDuration('.5ms'), 500_000n);
  assert.equal(parseGoDuration('2562047h'), 2562047n * 3_600_000_000_000n);
  assert.equal(parseGoDuration('2562048h'), undefined, "beyond Go's int64 nanoseconds");
});

test("matches() uses RE2's syntax and semantics, not JavaScript's", () => {
  assert.equal(run(`self.matches(r"""^(?i)\\.?[a-z_][a-z_0-9]*$""")`, 'Foo'), true); // (?i) is RE2-only
  assert.equal(run("self.matches('^[a-z]+$')", 'abc'), true);
  assert.equal(run("self.matches('b')", 'abc'), true, 'unanchored search');
  assert.equal(run("matches(self, '^a')", 'abc'), true);
  assert.match(fails("self.matches('(?=a)')", 'a'), /invalid regular expression/); // look-ahead: JS yes, RE2 no
  assert.match(fails("self.matches('a{2,1}')", 'a'), /invalid regular expression/);
  assert.equal(run("self.matches('[[:alpha:]]+')", 'abc'), true); // a POSIX class, which JS would read otherwise
  assert.ok(!('error' in re2('\\pL+')) && (re2('\\pL+') as { test(s: string): boolean }).test('é'));
});

test('url(), isURL() and getScheme() follow url.ParseRequestURI', () => {
  assert.equal(run('url(self).getScheme()', 'HTTPS://example.com/x'), 'https');
  assert.equal(run('url(self).getHost()', 'https://example.com:8443/x'), 'example.com:8443');
  assert.equal(run('url(self).getHostname()', 'https://[::1]:8443/x'), '::1');
  assert.equal(run('url(self).getPort()', 'https://[::1]:8443/x'), '8443');
  assert.equal(run('url(self).getEscapedPath()', 'https://example.com/a%20b'), '/a%20b');
  assert.deepEqual(run("url(self).getQuery()['a']", 'https://example.com/?a=1&a=2'), ['1', '2']);
  assert.equal(run('isURL(self)', '/absolute/path'), true);
  assert.equal(run('isURL(self)', 'oci://registry.example.com/filter:1.0'), true);
  assert.equal(run('isURL(self)', 'registry.example.com/filter'), false, 'a relative reference is not a request URI');
  assert.equal(run('isURL(self)', 'http://a b/'), false);
  assert.equal(run('isURL(self)', 'http://host:port/'), false);
  assert.equal(run('isURL(self)', ''), false);
  // Istio's WasmPlugin rule: a bare registry path is accepted because "http://" + it is a URL.
  const wasm = 'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "file", "oci"]) : (isURL("http://" + self) && url("http://" + self).getScheme() in ["", "http", "https", "file", "oci"])';
  assert.equal(run(wasm, 'ghcr.io/istio/filter:1.0'), true);
  assert.equal(run(wasm, 'ftp://example.com/filter'), false);
  assert.match(fails('url(self).getScheme()', 'not a url'), /URL parse error/);
  assert.equal(parseRequestURI('mailto:a@b')?.scheme, 'mailto');
});

test('isIP() and ip() reject zones, leading zeros and IPv4-mapped IPv6, as Kubernetes does', () => {
  for (const ok of ['1.2.3.4', '::1', '2001:db8::1', '::', 'fe80::1:2:3:4', '::1.2.3.4']) assert.equal(run('isIP(self)', ok), true, ok);
  for (const bad of ['01.2.3.4', '1.2.3', '256.1.1.1', 'fe80::1%eth0', '::ffff:1.2.3.4', 'a.example.com', '1:2:3:4:5:6:7:8:9']) {
    assert.equal(run('isIP(self)', bad), false, bad);
  }
  assert.equal(run('ip(self).family()', '::1'), 6n);
  assert.equal(run('ip(self).family()', '10.0.0.1'), 4n);
  assert.equal(parseIP('1:2:3:4:5:6:7:8')?.family, 6);
});

test('strings, lists and format: the extension functions the CRDs use', () => {
  assert.equal(run('self.substring(7, 8) == "/"', 'unix:///var/run'), true);
  assert.equal(run('self.split("/")[0].size() < 253', 'example.com/name'), true);
  assert.equal(run("self.lowerAscii() == 'abc'", 'ABC'), true);
  assert.equal(run("self.all(key, 0 < int(key) && int(key) <= 65535)", { '80': {}, '65536': {} }), false);
  assert.match(fails("self.all(key, 0 < int(key) && int(key) <= 65535)", { metrics: {} }), /int/);
  assert.equal(run('self.all(l1, self.exists_one(l2, l1.name == l2.name))', [{ name: 'a' }, { name: 'a' }]), false);
  assert.equal(run('size(self) == 0 || format.dns1123Label().validate(self) == null', 'my-name'), true);
  assert.equal(run('size(self) == 0 || format.dns1123Label().validate(self) == null', 'My_Name'), false);
  // has() on an indexed selection, which the evaluator's own macro does not take.
  assert.equal(run('self.size() > 0 && has(self[0].matches)', [{ matches: [] }]), true);
  assert.equal(run('self.size() > 0 && has(self[0].matches)', [{}]), false);
});

test('rewriting leaves fields and strings alone, and transition rules are recognised', () => {
  assert.equal(rewriteCalls("self[0].matches.size() + x.matches('a') + duration(self)"), "self[0].matches.size() + x.k8sMatches('a') + k8sDuration(self)");
  assert.equal(rewriteCalls(`r"""matches(""" + 'duration(' + y.duration(1)`), `r"""matches(""" + 'duration(' + y.duration(1)`);
  assert.equal(rewriteCalls('has(self.a.b) && has(self[0].c)'), "has(self.a.b) && k8sHas(self[0], 'c')");
  assert.equal(isTransitionRule('self == oldSelf'), true);
  assert.equal(isTransitionRule("self.message == 'oldSelf'"), false);
});
