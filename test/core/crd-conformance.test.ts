// The API server's verdict, reproduced from the CRDs: Istio's own CRD test documents, the examples Istio ships (which
// its API server accepts), and the Gateway API CRDs' CEL rules on documents built here. The data stays in ../shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseYamlFile, nodeAt } from '../../src/core/yaml/documents';
import { resourcesOf } from '../../src/core/istio/resource';
import { resourceSchema, schemaIssues, validateNode, type SchemaIssue } from '../../src/core/istio/schema';
import { sharedPath } from '../support/shared';

const CRD_TESTS = ['reference', 'istio-testdata', 'pkg', 'config', 'validation', 'testdata', 'crds'];

/** Issues the apiserver would reject on (everything but the info-level "could not evaluate"). */
function rejections(issues: readonly SchemaIssue[]): SchemaIssue[] {
  return issues.filter((i) => i.kind !== 'cel-unevaluated');
}

/**
 * Istio's CRD test documents carry the expected error in a top-level `_err` key, which Istio's test strips before
 * sending the document to the apiserver; so does this.
 */
function crdTestDocuments(path: string): { name: string; issues: SchemaIssue[] }[] {
  const text = readFileSync(path, 'utf8').replace(/^_err:.*$/gm, '');
  return parseYamlFile(path, text)
    .flatMap(resourcesOf)
    .map((r) => ({ name: `${r.kind} ${r.name}`, issues: rejections(schemaIssues(r)) }));
}

test('Istio CRD test documents: every valid one accepted, every invalid one rejected', (t) => {
  const dir = sharedPath(...CRD_TESTS);
  if ('skip' in dir) return t.skip(dir.skip);
  const files = readdirSync(dir.path).filter((f) => /-(valid|invalid)\.yaml$/.test(f));
  let valid = 0;
  let validOk = 0;
  let invalid = 0;
  let invalidOk = 0;
  const wrong: string[] = [];
  for (const f of files) {
    const expectValid = f.endsWith('-valid.yaml');
    for (const d of crdTestDocuments(join(dir.path, f))) {
      if (expectValid) {
        valid++;
        if (d.issues.length === 0) validOk++;
        else wrong.push(`${f} ${d.name}: rejected (${d.issues.map((i) => i.message).join(' | ')})`);
      } else {
        invalid++;
        if (d.issues.length > 0) invalidOk++;
        else wrong.push(`${f} ${d.name}: accepted`);
      }
    }
  }
  t.diagnostic(`CRD documents: ${validOk}/${valid} valid accepted, ${invalidOk}/${invalid} invalid rejected`);
  assert.deepEqual(wrong, []);
  assert.equal(valid, 6, 'Istio ships 6 valid CRD test documents at the pinned revision');
  assert.equal(invalid, 9, 'Istio ships 9 invalid CRD test documents at the pinned revision');
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

for (const where of [['samples'], ['tests', 'testdata', 'config']]) {
  test(`Istio's own examples (${where.join('/')}) pass the CRD schema`, (t) => {
    const dir = sharedPath('reference', 'istio-testdata', ...where);
    if ('skip' in dir) return t.skip(dir.skip);
    let resources = 0;
    const wrong: string[] = [];
    for (const f of yamlFiles(dir.path)) {
      for (const d of parseYamlFile(f, readFileSync(f, 'utf8'))) {
        if (d.templated || d.errors.length) continue;
        for (const r of resourcesOf(d)) {
          if (r.kind === 'Secret' || r.kind === 'Service' || r.kind === 'Namespace') continue;
          resources++;
          for (const i of rejections(schemaIssues(r))) wrong.push(`${relative(dir.path, f)} ${r.kind} ${r.name}: ${i.message}`);
        }
      }
    }
    t.diagnostic(`${resources} Istio resources checked`);
    assert.ok(resources >= 5, `expected Istio resources under ${dir.path}`);
    assert.deepEqual(wrong, []);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Gateway API: the CRDs' CEL rules and structural constraints on documents built here. The Gateway API kinds are not
// indexed as resources yet (that is the gwapi rules' work), so the schema is applied to the document directly.

const GWAPI = 'gateway.networking.k8s.io';

function gwapiIssues(text: string): string[] {
  const [d] = parseYamlFile('gw.yaml', text);
  const v = d.value as { kind: string; apiVersion: string };
  const schema = resourceSchema(v.kind, v.apiVersion.split('/')[1], GWAPI);
  assert.ok(schema, `no schema for ${v.apiVersion} ${v.kind}`);
  return validateNode({ doc: d, node: nodeAt(d.doc, []), schema, kind: v.kind }).map((i) => `${i.kind}: ${i.message}`);
}

const gateway = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
${listeners}
`;

test('Gateway API: a valid Gateway and HTTPRoute pass, including the real-world ones in shared/', (t) => {
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: https
      hostname: shop.example.com
      port: 443
      protocol: HTTPS
      tls:
        mode: Terminate
        certificateRefs: [{name: shop-cert}]
    - name: tcp
      port: 9000
      protocol: TCP`),
    ),
    [],
  );
  assert.deepEqual(
    gwapiIssues(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: api, port: 8080}]
`),
    [],
  );
  const corpus = sharedPath('reference', 'realworld', 'corpus', 'GoogleCloudPlatform__microservices-demo', 'kustomize', 'components', 'service-mesh-istio', 'frontend-gateway.yaml');
  if ('skip' in corpus) return t.skip(corpus.skip);
  let n = 0;
  for (const d of parseYamlFile(corpus.path, readFileSync(corpus.path, 'utf8'))) {
    const v = d.value as { kind?: string; apiVersion?: string };
    if (!v?.apiVersion?.startsWith(`${GWAPI}/`)) continue;
    n++;
    assert.deepEqual(gwapiIssues(d.text), [], `${v.kind} in ${corpus.path}`);
  }
  assert.ok(n >= 2);
});

test("Gateway API: the Gateway CRD's listener CEL rules reject what the apiserver rejects", () => {
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: tcp
      hostname: db.example.com
      port: 5432
      protocol: TCP`),
    ),
    ["cel-violation: Gateway spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']."],
  );
  const dup = gwapiIssues(
    gateway(`    - name: web
      port: 80
      protocol: HTTP
    - name: web
      port: 8080
      protocol: HTTP`),
  );
  assert.ok(dup.includes('cel-violation: Gateway spec.listeners: Listener name must be unique within the Gateway.'), dup.join('\n'));
  assert.ok(dup.some((m) => m.startsWith('list-duplicate: Gateway spec.listeners[1] repeats the entry with name "web"')), dup.join('\n'));
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: tls
      port: 443
      protocol: TLS`),
    ),
    ['cel-violation: Gateway spec.listeners: tls mode must be set for protocol TLS.'],
  );
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: https
      port: 443
      protocol: HTTPS
      tls: {mode: Passthrough}`),
    ),
    ['cel-violation: Gateway spec.listeners: tls mode must be Terminate for protocol HTTPS.'],
  );
  // The mode defaults to Terminate, and the apiserver applies defaults before the rules run.
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: https
      port: 443
      protocol: HTTPS
      tls: {}`),
    ),
    ['cel-violation: Gateway spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate.'],
  );
  // `size(self.certificateRefs) > 0 || size(self.options) > 0` on fields left out: the apiserver's CEL fails with "no
  // such key" and rejects the object with the rule's message; meshtls says the message, not its evaluator's error.
  // A true side absorbs the other side's error (CEL's commutative `||`), so a listener with options only is valid.
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: https
      port: 443
      protocol: HTTPS
      tls: {mode: Terminate, certificateRefs: []}`),
    ),
    ['cel-violation: Gateway spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate.'],
  );
  assert.deepEqual(
    gwapiIssues(
      gateway(`    - name: https
      port: 443
      protocol: HTTPS
      tls: {options: {example.com/cert-source: vault}}`),
    ).filter((m) => m.startsWith('cel-')),
    [],
  );
});

test('Gateway API: patterns (RE2), lengths and route CEL rules', () => {
  const route = (rules: string, hostnames = '[shop.example.com]') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: ${hostnames}
  rules:
${rules}
`;
  const bad = gwapiIssues(route('    - backendRefs: [{name: api, port: 8080}]', '[Shop_Example.com]'));
  assert.ok(bad.some((m) => m.startsWith('pattern: HTTPRoute spec.hostnames[0] "Shop_Example.com" does not match the pattern')), bad.join('\n'));
  const prefix = gwapiIssues(
    route(`    - matches: [{path: {type: Exact, value: /a}}, {path: {type: PathPrefix, value: /b}}]
      filters:
        - type: URLRewrite
          urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /c}}
      backendRefs: [{name: api, port: 8080}]`),
  );
  assert.ok(
    prefix.some((m) => m.includes('When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified')),
    prefix.join('\n'),
  );
  const port = gwapiIssues(route('    - backendRefs: [{name: api, port: 70000}]'));
  assert.ok(port.some((m) => m.startsWith('value-out-of-range: HTTPRoute spec.rules[0].backendRefs[0].port must be at most 65535, not 70000')), port.join('\n'));
  const noPort = gwapiIssues(route('    - backendRefs: [{name: api}]'));
  assert.ok(noPort.some((m) => m.includes('Must have port for Service reference')), noPort.join('\n'));
});
