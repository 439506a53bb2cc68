import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMaterial, parseKeyBlock, type CertInfo } from '../../src/core/certs/x509';
import { CertPool, verifyChain, CHAIN_ERRORS, describeChainError } from '../../src/core/certs/chain';
import { richView } from '../../src/core/certs/rich';
import { inspectMaterial } from '../../src/core/inspect/views';
import { TEST_NOW } from '../support/golden';
import { certsDir } from '../support/certs';
import { longChain } from '../support/big-chain';

const dir = certsDir();
const certs = (f: string): CertInfo[] => parseMaterial(readFileSync(join(dir, f))).certs.map((c) => c.cert);

/**
 * Every tree of make-certs.sh's `chains/` section, judged twice: by meshtls and by `openssl verify -CAfile BUNDLE
 * [-untrusted CHAIN] LEAF` at the tests' "now" — without -partial_chain, which is how Envoy (BoringSSL) verifies
 * client certificates. The verdict and OpenSSL's (first) error must agree.
 */
const CASES: { name: string; leaf: string; bundle: string; untrusted?: string; ok: boolean }[] = [
  { name: 'good tree: bundle = intermediate + root', leaf: 'good/leaf.pem', bundle: 'chain.pem', ok: true },
  { name: 'good tree: bundle = root, intermediate sent', leaf: 'good/leaf.pem', bundle: 'root/ca.pem', untrusted: 'int/int.pem', ok: true },
  { name: 'look-alike root (same name, regenerated key)', leaf: 'good/leaf.pem', bundle: 'chains/lookalike-bundle.pem', ok: false },
  { name: 'intermediate-only bundle', leaf: 'good/leaf.pem', bundle: 'int/int.pem', ok: false },
  { name: 'swapped intermediates: the other tree’s bundle', leaf: 'good/leaf.pem', bundle: 'chains/b-bundle.pem', ok: false },
  { name: 'swapped intermediates: the other tree’s intermediate sent', leaf: 'good/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/b-int.pem', ok: false },
  { name: 'swapped roots: own intermediate + the other tree’s root', leaf: 'good/leaf.pem', bundle: 'chains/mixed-bundle.pem', ok: false },
  { name: 'expired intermediate in the bundle', leaf: 'chains/expired-int-leaf/leaf.pem', bundle: 'chains/expired-int-bundle.pem', ok: false },
  { name: 'expired intermediate sent', leaf: 'chains/expired-int-leaf/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/expired-int.pem', ok: false },
  { name: 'cross-signed root: old root trusted, cross certificate sent', leaf: 'chains/new-leaf/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/new-untrusted.pem', ok: true },
  { name: 'cross-signed root: new root trusted', leaf: 'chains/new-leaf/leaf.pem', bundle: 'chains/new-root.pem', untrusted: 'chains/new-int.pem', ok: true },
  { name: 'cross-signed root: old root trusted, cross certificate missing', leaf: 'chains/new-leaf/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/new-int.pem', ok: false },
  { name: 'pathlen:0 intermediate above another intermediate', leaf: 'chains/sub-leaf/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/sub-untrusted.pem', ok: false },
  { name: 'issued by a CA:FALSE certificate', leaf: 'chains/notca-leaf/leaf.pem', bundle: 'root/ca.pem', untrusted: 'chains/notca-untrusted.pem', ok: false },
  { name: 'self-signed root verifies itself', leaf: 'root/ca.pem', bundle: 'chain.pem', ok: true },
  { name: 'client from another CA', leaf: 'client-other/client.pem', bundle: 'chain.pem', ok: false },
  { name: 'expired leaf', leaf: 'expired/leaf.pem', bundle: 'chain.pem', ok: false },
];

function openssl(c: (typeof CASES)[number]): { ok: boolean; text: string | undefined; out: string } {
  const args = ['verify', '-attime', String(Math.floor(TEST_NOW.getTime() / 1000)), '-CAfile', join(dir, c.bundle)];
  if (c.untrusted) args.push('-untrusted', join(dir, c.untrusted));
  args.push(join(dir, c.leaf));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  // The first error OpenSSL reports; its text, since numbers moved between OpenSSL versions (24 became 79).
  const m = /error \d+ at \d+ depth lookup: (.*)/.exec(out);
  return { ok: r.status === 0, text: m?.[1].trim(), out };
}

for (const c of CASES) {
  test(`chain verdict agrees with openssl verify: ${c.name}`, () => {
    const judge = openssl(c);
    const v = verifyChain({ leaf: certs(c.leaf)[0], trusted: new CertPool(certs(c.bundle)), untrusted: new CertPool(c.untrusted ? certs(c.untrusted) : []), now: TEST_NOW });
    assert.equal(judge.ok, c.ok, `the fixture itself: openssl says ${judge.out}`);
    assert.equal(v.ok, judge.ok, v.error ? describeChainError(v.error) : 'meshtls accepts it');
    if (!judge.ok) assert.equal(v.error && CHAIN_ERRORS[v.error.kind].text, judge.text, `openssl: ${judge.out}; meshtls: ${v.error && describeChainError(v.error)}`);
  });
}

test('the look-alike root is named as present but not the issuer', () => {
  const v = verifyChain({ leaf: certs('good/leaf.pem')[0], trusted: new CertPool(certs('chains/lookalike-bundle.pem')), now: TEST_NOW });
  assert.ok(v.error);
  assert.match(describeChainError(v.error), /^unable to get issuer certificate at "meshtls test intermediate"; the "meshtls test root" present has another key$/);
});

test('same-named CAs of three trees in one bundle: the path is the one whose keys verify', () => {
  const pool = new CertPool([...certs('chain.pem'), ...certs('chains/b-bundle.pem'), ...certs('chains/lookalike-bundle.pem')]);
  const v = verifyChain({ leaf: certs('good/leaf.pem')[0], trusted: pool, now: TEST_NOW });
  assert.ok(v.ok);
  assert.deepEqual(v.path.map((c) => c.commonName), ['good.example.com', 'meshtls test intermediate', 'meshtls test root']);
});

test('a malformed extendedKeyUsage does not make the valid key beside it "cannot be parsed"', () => {
  const m = parseMaterial(readFileSync(join(dir, 'bad-eku/leaf.pem')));
  assert.equal(m.certs.length, 1, 'OpenSSL loads the certificate');
  const k = parseMaterial(readFileSync(join(dir, 'bad-eku/leaf.key')));
  assert.equal(k.keys[0].key.status, 'ok');
  // And again straight after touching the certificate's EKU, outside every cache.
  void m.certs[0].cert.x509.keyUsage;
  assert.equal(parseKeyBlock({ ...k.keys[0].block, der: new Uint8Array(k.keys[0].block.der) }).status, 'ok');
});

test('the rich view names the extension it cannot parse instead of failing the certificate', () => {
  const c = parseMaterial(readFileSync(join(dir, 'bad-eku/leaf.pem'))).certs[0].cert;
  const v = richView(c);
  assert.deepEqual(v.unparsed, ['extendedKeyUsage extension']);
  assert.match(v.signatureAlgorithm, /ECDSA with SHA-256/);
  const view = inspectMaterial(readFileSync(join(dir, 'bad-eku/leaf.pem')), { label: 'leaf.pem', fileId: 'leaf.pem', now: TEST_NOW, expiryWarningDays: 30 });
  assert.ok(view.certificates[0].checks.some((k) => k.name === 'extensions' && /extendedKeyUsage/.test(k.detail)));
});

/**
 * Long chains, judged by `openssl verify` too: OpenSSL's default depth allows 100 intermediates (102 certificates with
 * leaf and root); meshtls stopped at 10 and reported a 12-certificate chain as "unable to get local issuer
 * certificate", naming the next intermediate as a look-alike with another key.
 */
for (const n of [12, 102, 103]) {
  test(`a chain of ${n} certificates: the verdict agrees with openssl verify`, async () => {
    const c = await longChain({ n, now: TEST_NOW });
    const tmp = mkdtempSync(join(tmpdir(), 'meshtls-long-'));
    writeFileSync(join(tmp, 'leaf.pem'), c.leaf);
    writeFileSync(join(tmp, 'untrusted.pem'), c.intermediates);
    writeFileSync(join(tmp, 'root.pem'), c.root);
    const r = spawnSync('openssl', ['verify', '-attime', String(Math.floor(TEST_NOW.getTime() / 1000)), '-CAfile', join(tmp, 'root.pem'), '-untrusted', join(tmp, 'untrusted.pem'), join(tmp, 'leaf.pem')], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    const judge = /error \d+ at (\d+) depth lookup: (.*)/.exec(out);
    const pem = (s: string) => parseMaterial(s).certs.map((x) => x.cert);
    const v = verifyChain({ leaf: pem(c.leaf)[0], trusted: new CertPool(pem(c.root)), untrusted: new CertPool(pem(c.intermediates)), now: TEST_NOW });
    assert.equal(v.ok, r.status === 0, `openssl: ${out}; meshtls: ${v.error ? describeChainError(v.error) : 'accepts it'}`);
    if (judge) {
      assert.equal(v.error && CHAIN_ERRORS[v.error.kind].text, judge[2].trim());
      assert.equal(v.error?.depth, Number(judge[1]));
      assert.deepEqual(v.error?.lookAlikes, []);
    } else assert.equal(v.path.length, n);
  });
}

test('six re-issued copies of every intermediate and no root: the search is bounded and agrees with openssl', { timeout: 120_000 }, async () => {
  // Every link has six issuers that qualify (same name, same key) and no path ends at a trusted root, so trying every
  // combination is 6^12 paths; the search looked at all of them up to its depth limit.
  const c = await longChain({ n: 14, copies: 6, now: TEST_NOW });
  const tmp = mkdtempSync(join(tmpdir(), 'meshtls-copies-'));
  writeFileSync(join(tmp, 'leaf.pem'), c.leaf);
  writeFileSync(join(tmp, 'untrusted.pem'), c.intermediates);
  const pem = (s: string) => parseMaterial(s).certs.map((x) => x.cert);
  const other = (await longChain({ n: 2, now: TEST_NOW })).root;
  writeFileSync(join(tmp, 'other-root.pem'), other);
  const r = spawnSync('openssl', ['verify', '-attime', String(Math.floor(TEST_NOW.getTime() / 1000)), '-CAfile', join(tmp, 'other-root.pem'), '-untrusted', join(tmp, 'untrusted.pem'), join(tmp, 'leaf.pem')], { encoding: 'utf8' });
  const judge = /error \d+ at (\d+) depth lookup: (.*)/.exec(`${r.stdout}${r.stderr}`);
  assert.ok(judge, r.stdout + r.stderr);
  const v = verifyChain({ leaf: pem(c.leaf)[0], trusted: new CertPool(pem(other)), untrusted: new CertPool(pem(c.intermediates)), now: TEST_NOW });
  assert.equal(v.ok, false);
  assert.equal(v.error && CHAIN_ERRORS[v.error.kind].text, judge[2].trim());
  assert.equal(v.error?.depth, Number(judge[1]));
});
