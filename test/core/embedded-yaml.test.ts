import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEmbeddedYaml, blockChunks, hostKindOf, type EmbeddedBlock } from '../../src/core/yaml/embedded';
import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { LineIndex } from '../../src/core/lines';
import { TEST_NOW } from '../support/golden';
import type { Finding } from '../../src/core/types';

const PA = ['apiVersion: security.istio.io/v1', 'kind: PeerAuthentication', 'metadata:', '  name: default', 'spec:', '  mtls:', '    mode: STRCT'];

/** Lints host files (scripts, pages) and YAML files together; returns `file:line:col rule` per finding. */
function lintHosts(files: Record<string, string>): string[] {
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries(files)) {
    if (/\.ya?ml$/.test(id)) index.setYamlFile(id, text);
    else index.setOtherFile(id, new TextEncoder().encode(text));
  }
  const out: string[] = [];
  for (const [id, list] of new Linter({ config: DEFAULT_CONFIG, now: TEST_NOW }).lint(index, TEST_NOW)) out.push(...where(id, files[id], list));
  return out;
}

function where(id: string, text: string, list: Finding[]): string[] {
  const li = new LineIndex(text);
  return list.map((f) => {
    const p = li.position(f.start);
    return `${id}:${p.line + 1}:${p.column + 1} ${f.ruleId}`;
  });
}

/** The parse text may differ from the host only where a non-YAML prefix was blanked with spaces. */
function assertAligned(host: string, b: EmbeddedBlock): void {
  const slice = host.slice(b.start, b.end);
  assert.equal(b.text.length, slice.length);
  for (let i = 0; i < slice.length; i++) if (b.text[i] !== slice[i]) assert.equal(b.text[i], ' ', `offset ${i}: ${JSON.stringify(slice[i])} became ${JSON.stringify(b.text[i])}`);
}

test('host kinds come from file names', () => {
  assert.equal(hostKindOf('a/setup.sh'), 'shell');
  assert.equal(hostKindOf('README.md'), 'markdown');
  assert.equal(hostKindOf('x/Makefile'), 'makefile');
  assert.equal(hostKindOf('a.yaml'), undefined);
  assert.equal(hostKindOf('cert.pem'), undefined);
});

test('heredocs fed to kubectl: every quoting and pipeline form, with the namespace of the kubectl command', () => {
  const body = PA.join('\n');
  const cases: { line: string; ns?: string; expands: boolean }[] = [
    { line: 'kubectl apply -n foo -f - <<EOF', ns: 'foo', expands: true },
    { line: "kubectl apply -f - -n 'foo' <<'EOF'", ns: 'foo', expands: false },
    { line: 'kubectl apply --namespace=foo -f- <<"EOF"', ns: 'foo', expands: false },
    { line: 'kubectl -n foo create -f - <<\\EOF', ns: 'foo', expands: false },
    { line: 'cat <<EOF | kubectl apply --namespace foo -f -', ns: 'foo', expands: true },
    { line: 'cat <<EOF | kubectl apply -f -', expands: true },
    { line: 'kubectl apply -n $NS -f - <<EOF', ns: '$NS', expands: true },
    { line: 'oc apply --filename=- -nfoo <<EOF', ns: 'foo', expands: true },
    { line: 'kwest apply -n foo -f - <<EOF', ns: 'foo', expands: true },
    { line: 'cat <<EOF > policy.yaml', expands: true },
    { line: 'cat > "policy.yml" <<EOF', expands: true },
    { line: 'cat <<EOF | tee -a out/policy.yaml', expands: true },
  ];
  for (const c of cases) {
    const host = `#!/bin/sh\nset -e\n${c.line}\n${body}\nEOF\necho done\n`;
    const { blocks, problems } = extractEmbeddedYaml('s.sh', host);
    assert.deepEqual(problems, [], c.line);
    assert.equal(blocks.length, 1, c.line);
    const [b] = blocks;
    assert.equal(host.slice(b.start, b.end), `${body}\n`, c.line);
    assert.equal(b.expands, c.expands, c.line);
    assert.equal(b.applyNamespace?.namespace, c.ns, c.line);
    if (b.applyNamespace) assert.equal(host.slice(b.applyNamespace.start, b.applyNamespace.end), c.ns, c.line);
  }
});

test('heredocs that do not hold a manifest are left alone, and so is a shift', () => {
  const host = [
    'cat <<EOF > config.json',
    '{"apiVersion": 1}',
    'EOF',
    'echo $((1 << 2))',
    'cat <<EOF > notes.yaml',
    'just: a value',
    'EOF',
    '# kubectl apply -f - <<EOF',
    'kubectl get pods <<EOF',
    'kind: x',
    'EOF',
    '',
  ].join('\n');
  assert.deepEqual(extractEmbeddedYaml('s.sh', host), { blocks: [], problems: [] });
});

test('a <<- heredoc loses its tabs by blanking, and markers at its indentation split documents', () => {
  const host = `if true; then\n\tkubectl apply -f - <<-EOF\n\t${PA.join('\n\t')}\n\t---\n\tapiVersion: v1\n\tkind: Namespace\n\tmetadata: {name: x}\n\tEOF\nfi\n`;
  const { blocks, problems } = extractEmbeddedYaml('s.sh', host);
  assert.deepEqual(problems, []);
  assert.equal(blocks.length, 1);
  assertAligned(host, blocks[0]);
  assert.equal(blocks[0].indent, 1);
  const chunks = blockChunks(blocks[0]);
  assert.equal(chunks.length, 2);
  assert.ok(chunks[1].text.startsWith('    \n\tapiVersion: v1'.replace('\t', ' ')), JSON.stringify(chunks[1].text));
  assert.deepEqual(lintHosts({ 's.sh': host }), ['s.sh:9:12 schema-invalid-enum']);
});

test('uneven tabs under <<- and an unterminated heredoc are reported on the heredoc, not guessed', () => {
  const mixed = `kubectl apply -f - <<-EOF\n\tapiVersion: v1\n\t\tkind: Namespace\nEOF\n`;
  const m = extractEmbeddedYaml('s.sh', mixed);
  assert.equal(m.blocks.length, 0);
  assert.equal(m.problems.length, 1);
  assert.equal(mixed.slice(m.problems[0].start, m.problems[0].end), '<<-EOF');
  const open = `echo start\nkubectl apply -n foo -f - <<EOF\n${PA.join('\n')}\n  EOF\n`;
  const o = extractEmbeddedYaml('s.sh', open);
  assert.equal(o.blocks.length, 0);
  assert.match(o.problems[0].message, /Heredoc "EOF" is never closed/);
  assert.deepEqual(lintHosts({ 'deploy/s.sh': open }), ['deploy/s.sh:2:27 embedded-yaml-skipped']);
});

test('CRLF scripts: the delimiter matches before the carriage return and positions stay exact', () => {
  const host = `kubectl apply -f - <<EOF\r\n${PA.join('\r\n')}\r\nEOF\r\n`;
  const { blocks } = extractEmbeddedYaml('s.sh', host);
  assert.equal(blocks.length, 1);
  assertAligned(host, blocks[0]);
  assert.deepEqual(lintHosts({ 's.sh': host }), ['s.sh:8:11 schema-invalid-enum']);
});

test('Markdown: ```yaml manifests, list-indented fences, nested fences and ~~~, fragments skipped', () => {
  const md = [
    '# Guide', // 1
    '',
    '```yaml', // 3
    ...PA, // 4..10
    '```',
    '',
    '1. Then:', // 13
    '',
    '   ```yml', // 15
    ...PA.map((l) => `   ${l}`), // 16..22
    '   ---',
    '   apiVersion: v1',
    '   kind: Namespace',
    '   metadata: {name: x}',
    '   ```',
    '',
    '````markdown', // 29
    '```yaml',
    ...PA,
    '```',
    '````',
    '~~~', // 40
    '```yaml',
    ...PA,
    '~~~',
    '```yaml', // 50
    'spec:',
    '  mtls: {mode: STRCT}',
    '```',
    '',
  ].join('\n');
  const { blocks } = extractEmbeddedYaml('g.md', md);
  assert.equal(blocks.length, 2);
  for (const b of blocks) assertAligned(md, b);
  assert.equal(blockChunks(blocks[1]).length, 2);
  assert.deepEqual(lintHosts({ 'g.md': md }), ['g.md:10:11 schema-invalid-enum', 'g.md:22:14 schema-invalid-enum']);
});

test('Markdown shell blocks: heredocs in ```sh and in console transcripts with prompts', () => {
  const md = [
    '```bash', // 1
    'kubectl apply -n istio-system -f - <<EOF',
    ...PA, // 3..9
    'EOF',
    '```',
    '',
    '```console', // 13
    '$ kubectl apply -f - <<EOF',
    ...PA.map((l) => `> ${l}`), // 15..21
    '> EOF',
    'peerauthentication.security.istio.io/default created',
    '$ cat <<EOF | kubectl apply -f -',
    '> apiVersion: v1',
    'EOF',
    '```',
    '',
  ].join('\n');
  const { blocks, problems } = extractEmbeddedYaml('g.md', md);
  // The last transcript closes its heredoc with a bare delimiter line; that closes it too.
  assert.equal(blocks.length, 3);
  assert.equal(blocks[0].applyNamespace?.namespace, 'istio-system');
  for (const b of blocks) assertAligned(md, b);
  assert.equal(problems.length, 0);
  assert.deepEqual(lintHosts({ 'g.md': md }), ['g.md:9:11 schema-invalid-enum', 'g.md:21:13 schema-invalid-enum']);
});

test('an unterminated ```yaml fence holding a manifest is reported', () => {
  const md = `intro\n\n\`\`\`yaml\n${PA.join('\n')}\n`;
  assert.deepEqual(lintHosts({ 'g.md': md }), ['g.md:3:1 embedded-yaml-skipped']);
});

test('Makefile recipes: the recipe tab is not YAML', () => {
  const mk = `.ONESHELL:\napply:\n\tkubectl apply -f - <<EOF\n\t${PA.join('\n\t')}\n\tEOF\n`;
  assert.deepEqual(lintHosts({ Makefile: mk }), ['Makefile:10:12 schema-invalid-enum']);
});

test('the namespace of kubectl -n reaches the resources; metadata.namespace still wins', () => {
  const host = [
    'kubectl apply -n foo -f - <<EOF',
    'apiVersion: security.istio.io/v1',
    'kind: PeerAuthentication',
    'metadata: {name: a}',
    '---',
    'apiVersion: security.istio.io/v1',
    'kind: PeerAuthentication',
    'metadata: {name: b, namespace: bar}',
    'EOF',
    '',
  ].join('\n');
  const index = new WorkspaceIndex();
  index.setOtherFile('s.sh', new TextEncoder().encode(host));
  const rs = index.yamlFiles.get('s.sh')!.resources;
  assert.deepEqual(rs.map((r) => `${r.namespace}/${r.name}`), ['foo/a', 'bar/b']);
  assert.equal(rs[0].doc.applyNamespace?.via, 'kubectl apply -n');
  assert.ok(index.find('PeerAuthentication', 'foo', 'a'));
});

test('suppression comments inside embedded YAML apply to the host lines', () => {
  const host = `kubectl apply -f - <<EOF\n${PA.slice(0, -1).join('\n')}\n    # meshtls-disable-next-line schema-invalid-enum\n    mode: STRCT\nEOF\n`;
  assert.deepEqual(lintHosts({ 's.sh': host }), []);
});

test('the host stays material for kubectl secret lines, and an edit re-parses only what changed', () => {
  const host = `kubectl create -n istio-system secret tls cred --cert=a.crt --key=a.key\nkubectl apply -f - <<EOF\n${PA.join('\n')}\nEOF\n`;
  const index = new WorkspaceIndex();
  index.setOtherFile('s.sh', new TextEncoder().encode(host));
  assert.ok(index.otherFiles.has('s.sh'));
  const before = index.yamlFiles.get('s.sh')!.docs[0];
  index.setOtherFile('s.sh', new TextEncoder().encode(`echo hi\n${host}`));
  const after = index.yamlFiles.get('s.sh')!.docs[0];
  assert.notEqual(after, before);
  assert.equal(after.doc, before.doc, 'the moved document keeps its parse');
  assert.equal(after.base, before.base + 8);
  index.setOtherFile('s.sh', new TextEncoder().encode('echo no yaml\n'));
  assert.equal(index.yamlFiles.has('s.sh'), false);
  assert.equal(index.removeFile('s.sh'), true);
  assert.equal(index.otherFiles.has('s.sh'), false);
});

const VS_TEMPLATE = (host: string, gateway: string, mode: string) => [
  'apiVersion: networking.istio.io/v1',
  'kind: VirtualService',
  'metadata: {name: web}',
  'spec:',
  `  hosts: [${host}]`,
  `  gateways: [${gateway}]`,
  '  http:',
  '  - route:',
  '    - destination: {host: web, port: {number: 80}}',
  '---',
  'apiVersion: networking.istio.io/v1',
  'kind: DestinationRule',
  'metadata: {name: web}',
  'spec:',
  '  host: web',
  `  trafficPolicy: {tls: {mode: ${mode}}}`,
].join('\n');

test('placeholders: a field holding $VAR in an unquoted heredoc is not judged; the rest of the document is', () => {
  const host = `kubectl apply -f - <<EOF\n${VS_TEMPLATE('"${HOST}"', '$GATEWAY', 'ISTIO_MUTAUL')}\nEOF\n`;
  // The host, the gateway reference and its resolution are placeholders; the misspelt TLS mode is still found.
  assert.deepEqual(lintHosts({ 's.sh': host }), ['s.sh:17:31 schema-invalid-enum']);
  const placeholders = lintHosts({ 's.sh': host.replace('ISTIO_MUTAUL', '$MODE') });
  assert.deepEqual(placeholders, []);
  // Quoted: the shell passes `$HOST` through literally, and kubectl would get an invalid host.
  const quoted = lintHosts({ 's.sh': host.replace('<<EOF', "<<'EOF'") });
  assert.ok(quoted.includes('s.sh:6:11 virtual-service-host-invalid'), quoted.join('\n'));
  assert.ok(quoted.some((l) => l.startsWith('s.sh:7:14 virtual-service-gateway')), quoted.join('\n'));
});

test('placeholders: kustomize $(VAR) in any YAML file; shell $VAR in a plain YAML file is still judged', () => {
  const kustomized = lintHosts({ 'vs.yaml': VS_TEMPLATE('$(SERVICE_HOST)', 'mesh', 'ISTIO_MUTUAL') });
  assert.deepEqual(kustomized, []);
  const shell = lintHosts({ 'vs.yaml': VS_TEMPLATE('$HOST', 'mesh', 'ISTIO_MUTUAL') });
  assert.deepEqual(shell, ['vs.yaml:5:11 virtual-service-host-invalid']);
});

test('placeholders: a credentialName from the shell is not resolved against the workspace', () => {
  const gw = (cred: string) => [
    'kubectl apply -n istio-system -f - <<EOF',
    'apiVersion: networking.istio.io/v1',
    'kind: Gateway',
    'metadata: {name: gw}',
    'spec:',
    '  selector: {istio: ingressgateway}',
    '  servers:',
    '  - port: {number: 443, name: https, protocol: HTTPS}',
    '    hosts: [a.example.com]',
    `    tls: {mode: SIMPLE, credentialName: ${cred}}`,
    'EOF',
    'kubectl create -n istio-system secret tls other --cert=a.crt --key=a.key',
    '',
  ].join('\n');
  assert.deepEqual(lintHosts({ 's.sh': gw('"${CRED}"'), 'a.crt': '', 'a.key': '' }).filter((l) => l.includes('credential-unresolved')), []);
  assert.ok(lintHosts({ 's.sh': gw('missing'), 'a.crt': '', 'a.key': '' }).some((l) => l.startsWith('s.sh:10:') && l.includes('credential')));
});

test('a heredoc applied in a for loop over literal namespaces is one set of documents per namespace', () => {
  const host = [
    'for ns in frontend "cart"; do', // 1
    '  kubectl apply -n "$ns" -f - <<EOF',
    ...PA.slice(0, -1), // 3..8
    '    mode: STRIC',
    'EOF',
    'done',
    'for x in $(kubectl get ns -o name); do', // 12
    '  kubectl apply -n $x -f - <<EOF',
    'apiVersion: security.istio.io/v1',
    'kind: PeerAuthentication',
    'metadata: {name: unknown}',
    'EOF',
    'done',
    'kubectl apply -n "$ns" -f - <<EOF', // 19: after the loop, $ns is unknown
    'apiVersion: security.istio.io/v1',
    'kind: PeerAuthentication',
    'metadata: {name: after}',
    'EOF',
    '',
  ].join('\n');
  const { blocks } = extractEmbeddedYaml('s.sh', host);
  assert.deepEqual(blocks[0].loopNamespaces?.map((n) => [n.namespace, host.slice(n.start, n.end)]), [['frontend', 'frontend'], ['cart', 'cart']]);
  assert.equal(blocks[1].loopNamespaces, undefined);
  assert.equal(blocks[2].loopNamespaces, undefined);
  assert.equal(blocks[2].applyNamespace?.namespace, '$ns');
  const index = new WorkspaceIndex();
  index.setOtherFile('s.sh', new TextEncoder().encode(host));
  assert.deepEqual(index.yamlFiles.get('s.sh')!.resources.map((r) => `${r.namespace}/${r.name}`), ['frontend/default', 'cart/default', '$x/unknown', '$ns/after']);
  // The misspelt mode is one mistake in the script, reported once, not once per namespace.
  assert.deepEqual(lintHosts({ 's.sh': host }), ['s.sh:9:11 schema-invalid-enum']);
});
