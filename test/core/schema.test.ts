import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseYamlFile } from '../../src/core/yaml/documents';
import { resourcesOf } from '../../src/core/istio/resource';
import {
  schemaIssues,
  compileSchema,
  validateNode,
  closest,
  editDistance,
  servedVersions,
  schemaAt,
  SCHEMA_SOURCE,
  type SchemaIssue,
} from '../../src/core/istio/schema';
import { lintTexts } from '../support/golden';
import { sharedPath } from '../support/shared';

/** Every schema issue of every resource in a text, as `kind "source text" message`. */
function issues(text: string): string[] {
  return parseYamlFile('t.yaml', text)
    .flatMap(resourcesOf)
    .flatMap((r) => schemaIssues(r))
    .map((i) => `${i.kind} ${JSON.stringify(text.slice(i.start, i.end))} ${i.message}`);
}

function raw(text: string): SchemaIssue[] {
  return parseYamlFile('t.yaml', text).flatMap(resourcesOf).flatMap((r) => schemaIssues(r));
}

/** Applies the single edit of an issue's fix. */
function applyFix(text: string, i: SchemaIssue): string {
  assert.ok(i.fix, `no fix for ${i.message}`);
  const [e] = i.fix.edits;
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

const GW = (version: string, tls: string) => `apiVersion: networking.istio.io/${version}
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: [a.example.com]
      tls:
${tls}
`;

test('the generated schema names its istio/api revision and every served version', () => {
  assert.match(SCHEMA_SOURCE, /^istio\/api [0-9a-f]{40}/);
  assert.deepEqual(servedVersions('Gateway'), ['v1', 'v1beta1', 'v1alpha3']);
  assert.deepEqual(servedVersions('PeerAuthentication'), ['v1', 'v1beta1']);
  assert.equal(schemaAt('Gateway', 'v1', ['spec', 'servers', 0, 'tls', 'credentialName'])?.type, 'string');
  assert.match(schemaAt('Gateway', 'v1', ['spec', 'servers', 0, 'tls', 'credentialName'])?.description ?? '', /secret/);
  assert.deepEqual(schemaAt('PeerAuthentication', 'v1', ['spec', 'portLevelMtls', '9090', 'mode'])?.enum, ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
});

test('the committed schemas are what the generator makes from the vendored CRDs', (t) => {
  const istio = sharedPath('vendor', 'istio-api', 'customresourcedefinitions.gen.yaml');
  const gwapi = sharedPath('vendor', 'gateway-api');
  if ('skip' in istio || 'skip' in gwapi) {
    t.skip('skip' in istio ? istio.skip : 'skip' in gwapi ? gwapi.skip : '');
    return;
  }
  const r = spawnSync(process.execPath, ['scripts/gen-schema.mjs', '--istio', istio.path, '--gateway-api', gwapi.path, '--stdout'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { istio: string; gatewayApi: string };
  assert.ok(out.istio === readFileSync('src/core/istio/schema.generated.json', 'utf8'), 'src/core/istio/schema.generated.json is stale: run `npm run gen:schema`');
  assert.ok(out.gatewayApi === readFileSync('src/core/istio/gateway-api.schema.generated.json', 'utf8'), 'src/core/istio/gateway-api.schema.generated.json is stale: run `npm run gen:schema`');
});

test('a misspelt field gets the sibling it most likely meant, with a fix that keeps the quoting', () => {
  const text = GW('v1', '        mode: SIMPLE\n        credentialname: c\n        "CredentialName": d\n        caCertificate: e');
  assert.deepEqual(issues(text), [
    'unknown-field "credentialname" Unknown field "credentialname" in Gateway spec.servers[0].tls; did you mean "credentialName"?',
    'unknown-field "\\"CredentialName\\"" Unknown field "CredentialName" in Gateway spec.servers[0].tls; did you mean "credentialName"?',
    'unknown-field "caCertificate" Unknown field "caCertificate" in Gateway spec.servers[0].tls; did you mean "caCertificates"?',
  ]);
  const [first, second] = raw(text);
  assert.equal(first.fix?.preferred, true);
  assert.match(applyFix(text, first), /\n {8}credentialName: c\n/);
  assert.match(applyFix(text, second), /\n {8}"credentialName": d\n/);
});

test('suggestions only come from the fields allowed at that spot', () => {
  // `credentialName` exists under servers[].tls but not under spec, so it is not offered there.
  const text = GW('v1', '        mode: SIMPLE').replace('spec:\n', 'spec:\n  credentialNam: x\n');
  assert.deepEqual(issues(text), ['unknown-field "credentialNam" Unknown field "credentialNam" in Gateway spec.']);
});

test('nested lists of objects: VirtualService http[].route[].destination', () => {
  const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs}
spec:
  hosts: [a]
  http:
    - route:
        - destination: {host: a, port: {number: 80}}
    - route:
        - destination: {host: b, port: {numbr: 80}}
          weigth: 10
`;
  assert.deepEqual(issues(text), [
    'unknown-field "numbr" Unknown field "numbr" in VirtualService spec.http[1].route[0].destination.port; did you mean "number"?',
    'unknown-field "weigth" Unknown field "weigth" in VirtualService spec.http[1].route[0]; did you mean "weight"?',
  ]);
});

test('maps take any key and check each value: portLevelMtls, matchLabels, selector', () => {
  const text = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: pa}
spec:
  selector:
    matchLabels: {app: orders, version: 2}
  mtls: {mode: STRICT}
  portLevelMtls:
    9090: {mode: PERMISSIVE}
    "8080": {mode: DISABLE}
    15021: {mode: permisive, tls: x}
`;
  assert.deepEqual(issues(text), [
    'invalid-type "2" PeerAuthentication spec.selector.matchLabels.version must be a string, not the number 2.',
    'invalid-enum "permisive" Invalid value "permisive" for PeerAuthentication spec.portLevelMtls["15021"].mode (allowed: UNSET, DISABLE, PERMISSIVE, STRICT); did you mean "PERMISSIVE"?',
    'unknown-field "tls" Unknown field "tls" in PeerAuthentication spec.portLevelMtls["15021"].',
  ]);
  const [labelValue] = raw(text);
  assert.match(applyFix(text, labelValue), /version: "2"\}/);
});

test('types follow the YAML text: quoted numbers are strings, unquoted yes is a boolean for kubectl, null is pruned', () => {
  const text = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, labels: {canary: on, stable: "yes"}}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: {number: "443", name: https, protocol: HTTPS, targetPort: 8443.5}
      hosts: a.example.com
      tls:
      bind: [0.0.0.0]
`;
  assert.deepEqual(issues(text), [
    'invalid-type "on" Gateway metadata.labels.canary must be a string, not the boolean on (YAML 1.1 reads unquoted on as a boolean).',
    'invalid-type "\\"443\\"" Gateway spec.servers[0].port.number must be an integer, not the string "443".',
    'invalid-type "8443.5" Gateway spec.servers[0].port.targetPort must be an integer, not the number 8443.5.',
    'invalid-type "a.example.com" Gateway spec.servers[0].hosts must be a list, not the string "a.example.com".',
    'invalid-type "[0.0.0.0]" Gateway spec.servers[0].bind must be a string, not a list.',
  ]);
  const port = raw(text)[1];
  assert.equal(port.fix?.title, 'Remove the quotes');
  assert.match(applyFix(text, port), /number: 443,/);
});

test('a wrongly typed block collection is reported on its first line only', () => {
  const text = GW('v1', '        mode: SIMPLE').replace('  selector: {istio: ingressgateway}\n', '  selector:\n    - istio\n    - ingressgateway\n');
  assert.deepEqual(issues(text), ['invalid-type "- istio" Gateway spec.selector must be an object, not a list.']);
});

test('int-or-string accepts integers and strings but not booleans or fractions', () => {
  const schema = compileSchema({
    type: 'object',
    properties: { port: { 'x-kubernetes-int-or-string': true }, ports: { type: 'array', items: { 'x-kubernetes-int-or-string': true } } },
  });
  const [d] = parseYamlFile('t.yaml', 'port: 8080\nports: [http, 443, "9090", true, 1.5]\n');
  const found = validateNode({ doc: d, node: d.doc.contents ?? undefined, schema, kind: 'Test' }).map((i) => i.message);
  assert.deepEqual(found, ['Test ports[3] must be an integer or a string, not the boolean true.', 'Test ports[4] must be an integer or a string, not the number 1.5.']);
});

test('enum values: exact and case-sensitive, with the closest value suggested', () => {
  const text = GW('v1', '        mode: MUTUAL_TLS\n        credentialName: c\n        minProtocolVersion: tlsv1_2\n        maxProtocolVersion: TLS9');
  assert.deepEqual(issues(text), [
    'invalid-enum "MUTUAL_TLS" Invalid value "MUTUAL_TLS" for Gateway spec.servers[0].tls.mode (allowed: PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL); did you mean "MUTUAL"?',
    'invalid-enum "tlsv1_2" Invalid value "tlsv1_2" for Gateway spec.servers[0].tls.minProtocolVersion (allowed: TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3); did you mean "TLSV1_2"?',
    'invalid-enum "TLS9" Invalid value "TLS9" for Gateway spec.servers[0].tls.maxProtocolVersion (allowed: TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3).',
  ]);
  const [mutual, version, none] = raw(text);
  assert.equal(mutual.fix?.preferred, false, 'MUTUAL_TLS → MUTUAL is a guess, not certain');
  assert.equal(version.fix?.preferred, true);
  assert.match(applyFix(text, version), /minProtocolVersion: TLSV1_2\n/);
  assert.equal(none.fix, undefined);
});

test('all served API versions share the schema; others are one finding and skip the spec', () => {
  const tls = '        mode: SIMPLE\n        credentialname: c';
  const expected = ['unknown-field "credentialname" Unknown field "credentialname" in Gateway spec.servers[0].tls; did you mean "credentialName"?'];
  for (const v of ['v1alpha3', 'v1beta1', 'v1']) assert.deepEqual(issues(GW(v, tls)), expected, v);
  const text = GW('v1beta', tls);
  assert.deepEqual(issues(text), [
    'unknown-api-version "networking.istio.io/v1beta" Unsupported apiVersion "networking.istio.io/v1beta" for Gateway (served: networking.istio.io/v1, v1beta1, v1alpha3).',
  ]);
  const [i] = raw(text);
  assert.match(applyFix(text, i), /^apiVersion: networking\.istio\.io\/v1beta1\n/);
  assert.deepEqual(issues(GW('v2', tls)).length, 1);
});

test('kind: List items are checked at their own offsets', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: a}
    spec: {mtls: {mode: STRICT}}
  - apiVersion: security.istio.io/v1
    kind: PeerAuthentication
    metadata: {name: b}
    spec: {mtls: {mode: STRICTT}}
`;
  const [i] = raw(text);
  assert.equal(raw(text).length, 1);
  assert.equal(text.slice(i.start, i.end), 'STRICTT');
  assert.equal(i.start, text.lastIndexOf('STRICTT'));
});

test('offsets are file offsets in every document of a multi-document file', () => {
  const pa = (mode: string) => `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: x}\nspec: {mtls: {mode: ${mode}}}\n`;
  const text = `${pa('STRICT')}---\n${pa('STRICTT')}`;
  const [i] = raw(text);
  assert.equal(i.start, text.lastIndexOf('STRICTT'));
});

test('aliases: shared content is reported once where it is written, content from elsewhere at the alias', () => {
  const text = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  annotations:
    x-template: &tls {mode: SIMPL, credentialName: c}
spec:
  selector: {istio: ingressgateway}
  servers:
    - port: &port {number: "443", name: https, protocol: HTTPS}
      hosts: [a.example.com]
      tls: *tls
    - port: *port
      hosts: [b.example.com]
      tls:
        <<: *tls
        mode: SIMPLE
        credentialNme: d
`;
  assert.deepEqual(issues(text), [
    'invalid-type "{mode: SIMPL, credentialName: c}" Gateway metadata.annotations.x-template must be a string, not an object.',
    'invalid-type "\\"443\\"" Gateway spec.servers[0].port.number must be an integer, not the string "443".',
    'invalid-enum "*tls" Invalid value "SIMPL" for Gateway spec.servers[0].tls.mode (allowed: PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL); did you mean "SIMPLE"?',
    'unknown-field "credentialNme" Unknown field "credentialNme" in Gateway spec.servers[1].tls; did you mean "credentialName"?',
  ]);
  const atAlias = raw(text)[2];
  assert.equal(atAlias.fix, undefined, 'an edit at the alias would not change the anchored text');
});

test('the Kubernetes envelope: top-level and metadata fields', () => {
  const text = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: pa
  namespce: orders
  annotations: {note: 3}
sepc: {}
status: {anything: [goes]}
`;
  assert.deepEqual(issues(text), [
    'unknown-field "namespce" Unknown field "namespce" in PeerAuthentication metadata; did you mean "namespace"?',
    'invalid-type "3" PeerAuthentication metadata.annotations.note must be a string, not the number 3.',
    'unknown-field "sepc" Unknown field "sepc" in PeerAuthentication; did you mean "spec"?',
  ]);
});

test('closest(): case and separators first, then one unique nearest name, never a tie', () => {
  assert.deepEqual(closest('credential_name', ['credentialName', 'credentialNames']), { value: 'credentialName', certain: true });
  assert.deepEqual(closest('STRICTT', ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']), { value: 'STRICT', certain: true });
  assert.deepEqual(closest('v2', ['v1', 'v1beta1', 'v1alpha3']), { value: 'v1', certain: false });
  assert.equal(closest('TLSV1_4', ['TLSV1_2', 'TLSV1_3']), undefined);
  assert.equal(closest('hosts2', ['gateways']), undefined);
  assert.equal(editDistance('credentialname', 'credentailname'), 1);
  assert.equal(editDistance('abc', 'xyz'), 3);
});

test('the examples have no schema findings', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(p) ? [p] : [];
    });
  const files = Object.fromEntries(walk('examples').map((p) => [p, readFileSync(p, 'utf8')]));
  assert.ok(Object.keys(files).length >= 5);
  const found = [...lintTexts(files).values()].flat().filter((f) => f.ruleId.startsWith('schema-'));
  assert.deepEqual(found.map((f) => `${f.fileId}: ${f.message}`), []);
});

/** Issues of a synthetic schema on a YAML text, as `kind "source text" message`. */
function synthetic(node: Parameters<typeof compileSchema>[0], text: string): string[] {
  const [d] = parseYamlFile('t.yaml', text);
  return validateNode({ doc: d, node: d.doc.contents ?? undefined, schema: compileSchema(node), kind: 'Test' }).map(
    (i) => `${i.kind} ${JSON.stringify(text.slice(i.start, i.end))} ${i.message}`,
  );
}

test('CEL rules: messageExpression, fieldPath, escaped field names, defaults applied first, oldSelf skipped', () => {
  const schema = {
    type: 'object' as const,
    properties: {
      spec: {
        type: 'object' as const,
        properties: {
          namespace: { type: 'string' as const },
          port: { type: 'object' as const, properties: { number: { type: 'integer' as const }, protocol: { type: 'string' as const, default: 'TCP' } } },
        },
        'x-kubernetes-validations': [
          { rule: 'self.port.number < 1024', messageExpression: "'port ' + string(self.port.number) + ' is not privileged'", fieldPath: '.port.number' },
          { rule: "!has(self.__namespace__) || self.__namespace__ != 'kube-system'", message: 'not in kube-system' },
          { rule: "self.port.protocol == 'TCP'", message: 'the default applies before the rule' },
          { rule: 'self == oldSelf', message: 'immutable' },
        ],
      },
    },
  };
  assert.deepEqual(synthetic(schema, 'spec:\n  namespace: kube-system\n  port:\n    number: 8080\n'), [
    'cel-violation "number" Test spec.port.number: port 8080 is not privileged.',
    'cel-violation "spec" Test spec: not in kube-system.',
  ]);
  assert.deepEqual(synthetic(schema, 'spec:\n  port: {number: 80}\n'), []);
});

test('required honours defaults and nullable; list-type map keys are unique, defaults included', () => {
  const schema = {
    type: 'object' as const,
    required: ['name', 'mode', 'note'],
    properties: {
      name: { type: 'string' as const },
      mode: { type: 'string' as const, default: 'A' },
      note: { type: 'string' as const, nullable: true },
      ports: {
        type: 'array' as const,
        'x-kubernetes-list-type': 'map' as const,
        'x-kubernetes-list-map-keys': ['port', 'protocol'],
        items: { type: 'object' as const, properties: { port: { type: 'integer' as const }, protocol: { type: 'string' as const, default: 'TCP' } } },
      },
    },
  };
  assert.deepEqual(synthetic(schema, 'name:\nnote: null\nports:\n  - {port: 80}\n  - {port: 80, protocol: UDP}\n  - {port: 80, protocol: TCP}\n'), [
    'list-duplicate "{port: 80, protocol: TCP}" Test ports[2] repeats the entry with port 80, protocol "TCP" of item 0; items must be unique.',
    'required-missing "name:" Test is missing the required field "name".',
  ]);
});
