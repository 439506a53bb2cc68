import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments, parseYamlFile, spanOf } from '../../src/core/yaml/documents';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { resourcesOf } from '../../src/core/istio/resource';

test('splitDocuments splits at column-0 markers only and keeps offsets', () => {
  const text = 'a: 1\n---\nb: |\n  ---\n  x\n--- # c\nc: 3\n';
  const chunks = splitDocuments(text);
  assert.deepEqual(chunks.map((c) => c.text), ['a: 1\n', '---\nb: |\n  ---\n  x\n', '--- # c\nc: 3\n']);
  for (const c of chunks) assert.equal(text.slice(c.base, c.base + c.text.length), c.text);
});

test('a leading marker does not create an empty document; BOM and CRLF are handled', () => {
  const text = '\ufeff---\r\nkind: Gateway\r\napiVersion: networking.istio.io/v1\r\nmetadata: {name: g}\r\n';
  const docs = parseYamlFile('f.yaml', text);
  assert.equal(docs.length, 1);
  const [r] = resourcesOf(docs[0]);
  assert.equal(r.kind, 'Gateway');
  const s = spanOf(docs[0], ['metadata', 'name']);
  assert.equal(text.slice(s.start, s.end), 'g');
});

test('kind: List items become resources with their own paths', () => {
  const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: security.istio.io/v1\n  kind: PeerAuthentication\n  metadata: {name: p, namespace: ns}\n';
  const [d] = parseYamlFile('l.yaml', text);
  const rs = resourcesOf(d);
  assert.equal(rs.length, 1);
  assert.deepEqual(rs[0].path, ['items', 0]);
  assert.equal(rs[0].namespace, 'ns');
});

test('anchors and aliases resolve in values', () => {
  const text = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  selector: &sel {istio: ingressgateway}\n  x: *sel\n';
  const [d] = parseYamlFile('a.yaml', text);
  assert.deepEqual((d.value as any).spec.x, { istio: 'ingressgateway' });
});

test('re-indexing a file re-parses only the documents that changed', () => {
  const idx = new WorkspaceIndex();
  const a = 'kind: A\n';
  const b = 'kind: B\n';
  const first = idx.setYamlFile('f', `${a}---\n${b}`);
  const second = idx.setYamlFile('f', `${a}---\n${b.replace('B', 'C')}`);
  assert.equal(second.docs[0], first.docs[0]);
  assert.notEqual(second.docs[1], first.docs[1]);
  const third = idx.setYamlFile('f', `# lead\n${a}---\n${b.replace('B', 'C')}`);
  assert.equal(third.docs[1].doc, second.docs[1].doc, 'a shifted document keeps its parse');
  assert.equal(third.docs[1].base, second.docs[1].base + 7);
});

test('invalid YAML yields errors with file offsets, not exceptions', () => {
  const text = 'a: 1\n---\nb: [1, 2\n';
  const docs = parseYamlFile('bad.yaml', text);
  assert.equal(docs[0].errors.length, 0);
  assert.ok(docs[1].errors.length > 0);
  assert.ok(docs[1].errors[0].start >= 5);
});
