// Mistakes and odd input get a one-line message and the right exit status, never a crash or an empty success.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';


const run = runCli;

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `meshtls-msg-${name}-`));

test('pki refuses a host with a label over 63 characters before writing anything', () => {
  const dir = tmp('label');
  const host = `${'a'.repeat(64)}.example.com`;
  const r = run(['pki', '--profile', 'ecdsa', host], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /is not a DNS host name/);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(run(['pki', '--profile', 'ecdsa', `${'a'.repeat(63)}.example.com`], dir).code, 0);
});

test('rules --bogus, lint notes.txt and a missing option value exit 2 with a message', () => {
  const dir = tmp('usage');
  writeFileSync(join(dir, 'notes.txt'), 'hello\n');
  const rules = run(['rules', '--bogus'], dir);
  assert.equal(rules.code, 2);
  assert.match(rules.err, /Unknown option --bogus/);
  const lint = run(['lint', 'notes.txt'], dir);
  assert.equal(lint.code, 2);
  assert.match(lint.err, /notes\.txt: not a YAML file/);
  const n = run(['secret', 'x', '-n'], dir);
  assert.equal(n.code, 2);
  assert.match(n.err, /Option -n needs a value/);
  assert.doesNotMatch(n.err, /--n/);
});

test('self-referencing aliases in a VirtualService http list crash no rule', () => {
  const dir = tmp('alias');
  const head = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [a.example.com]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: default}
spec:
  host: a
  subsets: [{name: v1, labels: {v: "1"}}]
`;
  const bodies = [
    'http: &h\n  - route:\n    - destination: {host: a, subset: v2}\n  - *h',
    'http: &h\n  - *h',
    'http:\n  - &r\n    route:\n    - destination: {host: a}\n    match: *r',
    'http:\n  - &r\n    route: *r',
    'http: &h\n  - route:\n    - destination: {host: a}\n    delegate: *h',
  ];
  bodies.forEach((body, i) => {
    writeFileSync(join(dir, `vs-${i}.yaml`), `${head}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs${i}, namespace: default}
spec:
  hosts: [a.example.com]
  gateways: [gw]
  ${body}
`);
  });
  const r = run(['lint', '--format', 'json', '.'], dir);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.diagnostics.filter((d: { rule: string }) => d.rule === 'internal-error'), []);
});
