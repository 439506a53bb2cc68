import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex, YAML_FILE } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG, parseConfig, type MeshtlsConfig } from '../../src/core/config';
import { RULES } from '../../src/core/rules/registry';
import { credentialUses } from '../../src/core/index/credentials';
import { analyze, hasNoMaterial, type CredentialRule } from '../../src/core/rules/credentials/analysis';
import { TEST_NOW } from '../support/golden';
import { certsDir, readTree } from '../support/certs';
import { rng } from '../support/rng';

// Credential rules marked `needsMaterial` are not asked about a use that has no certificate, key or CA material (an
// unresolved name, a Secret without data). That skip must never change a finding: here every such workspace is
// linted with the skip and with every rule asked anyway, and the findings must be the same.

const MATERIAL_RULES = RULES.filter((r): r is CredentialRule => 'evaluate' in r && (r as CredentialRule).needsMaterial === true);

function lintBothWays(index: WorkspaceIndex, config: MeshtlsConfig): { skipped: string; asked: string } {
  const skipped = JSON.stringify([...new Linter({ config, now: TEST_NOW }).lint(index, TEST_NOW)]);
  for (const r of MATERIAL_RULES) r.needsMaterial = false;
  try {
    return { skipped, asked: JSON.stringify([...new Linter({ config, now: TEST_NOW }).lint(index, TEST_NOW)]) };
  } finally {
    for (const r of MATERIAL_RULES) r.needsMaterial = true;
  }
}

/** Uses the skip applies to, so the comparison is known to cover some. */
function materialLess(index: WorkspaceIndex, config: MeshtlsConfig): number {
  const ctx = { index, config, now: TEST_NOW };
  return credentialUses(index, config).filter((u) => u.resolution.status !== 'not-checked' && hasNoMaterial(analyze(u, ctx))).length;
}

function workspace(root: string, prefix: string, withCerts: boolean): { index: WorkspaceIndex; config: MeshtlsConfig } {
  const index = new WorkspaceIndex();
  let config = structuredClone(DEFAULT_CONFIG);
  for (const [rel, bytes] of readTree(root)) {
    const id = `${prefix}${rel}`;
    if (rel === '.meshtls.yaml') config = parseConfig(bytes.toString('utf8')).config;
    else if (rel.endsWith('.expected.txt')) continue;
    else if (YAML_FILE.test(rel)) index.setYamlFile(id, bytes.toString('utf8'));
    else index.setOtherFile(id, new Uint8Array(bytes));
  }
  if (withCerts) for (const [rel, bytes] of readTree(certsDir())) index.setOtherFile(`${prefix}pki/${rel}`, new Uint8Array(bytes));
  return { index, config };
}

test('the material skip is several rules strong, and leaves out the rules that judge the resolution itself', () => {
  const ids = MATERIAL_RULES.map((r) => r.id);
  assert.ok(ids.length >= 15, `only ${ids.length} rules skip material-less uses`);
  for (const id of ['credential-unresolved', 'credential-wrong-namespace', 'credential-secret-keys', 'mutual-without-ca', 'credential-reserved-name']) {
    assert.ok(!ids.includes(id), `${id} judges uses without material and must be asked about them`);
  }
});

test('every credential rule fixture and example: findings with the material skip equal findings without it', () => {
  const credentialIds = new Set(RULES.filter((r) => 'evaluate' in r).map((r) => r.id));
  const roots: { root: string; prefix: string; certs: boolean }[] = [];
  for (const id of readdirSync('test/fixtures/rules').sort()) {
    if (!credentialIds.has(id)) continue;
    const dir = join('test/fixtures/rules', id);
    for (const name of readdirSync(dir).sort()) {
      // Each fixture is a workspace of its own (a file beside the openssl-made tree, or a folder).
      if (statSync(join(dir, name)).isDirectory()) roots.push({ root: join(dir, name), prefix: `${name}/`, certs: true });
    }
    roots.push({ root: dir, prefix: '', certs: true });
  }
  for (const name of readdirSync('examples').sort()) roots.push({ root: join('examples', name), prefix: `${name}/`, certs: false });
  let covered = 0;
  for (const { root, prefix, certs } of roots) {
    const { index, config } = workspace(root, prefix, certs);
    covered += materialLess(index, config);
    const { skipped, asked } = lintBothWays(index, config);
    assert.equal(skipped, asked, `findings differ in ${root}`);
  }
  assert.ok(covered >= 3, `only ${covered} material-less uses in the corpus: the comparison proves little`);
});

test('Gateways naming missing, empty, misplaced and half-filled Secrets: the skip changes no finding', () => {
  const r = rng(11);
  const names = ['gone', 'empty', 'elsewhere', 'half', 'tls-only-key', 'ok'];
  const secret = (name: string, ns: string, data: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, namespace: ${ns}}\ntype: Opaque\ndata: {${data}}\n`;
  const secrets = [
    secret('empty', 'istio-system', ''),
    secret('elsewhere', 'default', 'cert: "", key: ""'),
    secret('half', 'istio-system', 'cert: ""'),
    secret('tls-only-key', 'istio-system', '"tls.key": ""'),
    secret('ok-cacert', 'istio-system', 'cacert: ""'),
  ].join('---\n');
  for (let round = 0; round < 20; round++) {
    const gateways = Array.from({ length: 6 }, (_, i) => {
      const mode = ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'][Math.floor(r() * 3)];
      const name = names[Math.floor(r() * names.length)];
      return `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g${i}, namespace: istio-system}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [h${i}.example.com]\n    tls: {mode: ${mode}, credentialName: ${name}}\n`;
    }).join('---\n');
    const index = new WorkspaceIndex();
    index.setYamlFile('gateways.yaml', gateways);
    index.setYamlFile('secrets.yaml', secrets);
    const config = structuredClone(DEFAULT_CONFIG);
    assert.ok(materialLess(index, config) > 0, 'the round has uses without material');
    const { skipped, asked } = lintBothWays(index, config);
    assert.equal(skipped, asked, `round ${round}`);
  }
});
