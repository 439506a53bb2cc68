import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceIndex, YAML_FILE } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import { DEFAULT_CONFIG, type MeshtlsConfig } from '../../src/core/config';
import { RULES } from '../../src/core/rules/registry';
import { READS_NOW, READS_OTHER_FILES, type WorkspaceRule } from '../../src/core/rules/types';
import type { Finding } from '../../src/core/types';
import { rng } from '../support/rng';
import { TEST_NOW } from '../support/golden';

// A re-lint reuses what an edit did not touch: the placement, the cross-rule model, the credential index and
// analysis, and every workspace rule whose inputs kept their versions. A cache that returns stale findings is far
// worse than a slow lint, so the judge here is a cold lint: after every edit of a random sequence (values swapped
// between resources, namespaces renamed, documents deleted and copied, files added and removed, certificates
// replaced, kubectl lines changed, configuration and clock changed) the incremental result must equal, finding for
// finding, what a fresh index and linter give for the same texts.

type Content = { yaml: string } | { bytes: Uint8Array };

/** Files keyed by id in the order the index holds them (a removed and re-added file goes last in both). */
type Files = Map<string, Content>;

function load(root: string, prefix: string, files: Files): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      // A megabyte-sized fixture (an oversized direct response) would only make every cold lint slow.
      else if (!name.endsWith('.expected.txt') && statSync(path).size < 100_000) {
        const id = `${prefix}${path.slice(root.length + 1)}`;
        files.set(id, YAML_FILE.test(name) ? { yaml: readFileSync(path, 'utf8') } : { bytes: new Uint8Array(readFileSync(path)) });
      }
    }
  };
  walk(root);
}

function put(index: WorkspaceIndex, id: string, c: Content): void {
  if ('yaml' in c) index.setYamlFile(id, c.yaml);
  else index.setOtherFile(id, c.bytes);
}

/** Edits that change the test's copy of the files and the index alike. */
function editing(files: Files, index: WorkspaceIndex) {
  return {
    setYaml(id: string, text: string): void {
      files.set(id, { yaml: text });
      index.setYamlFile(id, text);
    },
    setOther(id: string, bytes: Uint8Array): void {
      // Remove first so the file goes last in both orders, whether or not it holds YAML (see Files).
      files.delete(id);
      index.removeFile(id);
      files.set(id, { bytes });
      index.setOtherFile(id, bytes);
    },
  };
}

function cold(files: Files, config: MeshtlsConfig, now: Date): Map<string, Finding[]> {
  const index = new WorkspaceIndex();
  for (const [id, c] of files) put(index, id, c);
  return new Linter({ config, now }).lint(index, now);
}

const KEY_VALUE = /^(\s*(?:- )?)([A-Za-z][\w.-]*): ([^\s#][^#\n]*)$/gm;
/** A plain scalar item of a block sequence (`- a.example.com`), keyed as `-` in the value pools. */
const ITEM = /^(\s*- )()([^\s#:{[][^#:\n]*)$/gm;

interface Step {
  name: string;
  run(): void;
}

/** Runs `steps` random edits on `files`, comparing the incremental lint with a cold one after each. */
function fuzz(seed: number, files: Files, steps: number): void {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const original = new Map(files);
  const config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  let now = TEST_NOW;
  const index = new WorkspaceIndex();
  for (const [id, c] of files) put(index, id, c);
  const linter = new Linter({ config, now });
  assert.deepEqual(linter.lint(index, now), cold(files, config, now), 'the first lint');

  const yamlIds = () => [...files].filter(([, c]) => 'yaml' in c).map(([id]) => id);
  const otherIds = (re: RegExp) => [...files].filter(([id, c]) => 'bytes' in c && re.test(id)).map(([id]) => id);
  const { setYaml, setOther } = editing(files, index);
  const remove = (id: string) => {
    files.delete(id);
    index.removeFile(id);
  };
  const text = (id: string) => (files.get(id) as { yaml: string }).yaml;
  // Values by key across the workspace, so a swap makes realistic references appear and break.
  const valuesByKey = new Map<string, string[]>();
  for (const [, c] of files) {
    if (!('yaml' in c)) continue;
    for (const m of [...c.yaml.matchAll(KEY_VALUE), ...c.yaml.matchAll(ITEM)]) {
      let list = valuesByKey.get(m[2]);
      if (!list) valuesByKey.set(m[2], (list = []));
      list.push(m[3]);
    }
  }
  const namespaces = [...new Set([...(valuesByKey.get('namespace') ?? []), 'default', 'istio-system', 'other'])];
  let copies = 0;

  const steps_: Step[] = [
    {
      name: 'swap a value',
      run() {
        const id = pick(yamlIds());
        const lines = [...text(id).matchAll(KEY_VALUE), ...text(id).matchAll(ITEM)];
        if (!lines.length) return;
        const m = pick(lines);
        const pool = valuesByKey.get(m[2]) ?? [];
        const value = random() < 0.8 && pool.length ? pick(pool) : `${m[3]}x`;
        const at = m.index!;
        setYaml(id, text(id).slice(0, at) + (m[2] ? `${m[1]}${m[2]}: ${value}` : `${m[1]}${value}`) + text(id).slice(at + m[0].length));
      },
    },
    {
      // Kinds are picked evenly, so a Gateway's hosts or a Service's ports change as often as a Secret's data.
      name: 'swap a value in a resource of a random kind',
      run() {
        const byKind = new Map<string, { id: string; start: number; end: number }[]>();
        for (const f of index.yamlFiles.values()) {
          if (!('yaml' in (files.get(f.id) ?? {}))) continue;
          for (const r of f.resources) {
            let list = byKind.get(r.kind);
            if (!list) byKind.set(r.kind, (list = []));
            list.push({ id: f.id, start: r.doc.base, end: r.doc.base + r.doc.text.length });
          }
        }
        if (byKind.size === 0) return;
        const doc = pick(pick([...byKind.values()]));
        const all = text(doc.id);
        const lines = [...all.matchAll(KEY_VALUE), ...all.matchAll(ITEM)].filter((m) => m.index! >= doc.start && m.index! < doc.end && m[2] !== 'kind' && m[2] !== 'apiVersion');
        if (!lines.length) return;
        const m = pick(lines);
        const pool = valuesByKey.get(m[2]) ?? [];
        const value = random() < 0.8 && pool.length ? pick(pool) : `${m[3]}x`;
        setYaml(doc.id, all.slice(0, m.index!) + (m[2] ? `${m[1]}${m[2]}: ${value}` : `${m[1]}${value}`) + all.slice(m.index! + m[0].length));
      },
    },
    {
      name: 'rename a namespace',
      run() {
        const id = pick(yamlIds());
        const lines = [...text(id).matchAll(/^(\s*)namespace: (\S+)$/gm)];
        if (!lines.length) return;
        const m = pick(lines);
        setYaml(id, text(id).slice(0, m.index!) + `${m[1]}namespace: ${pick(namespaces)}` + text(id).slice(m.index! + m[0].length));
      },
    },
    {
      name: 'insert a comment line',
      run() {
        const id = pick(yamlIds());
        const lines = text(id).split('\n');
        const at = Math.floor(random() * lines.length);
        lines.splice(at, 0, random() < 0.3 ? `# meshtls-disable-next-line ${pick(RULES).id}` : '# a comment');
        setYaml(id, lines.join('\n'));
      },
    },
    {
      name: 'delete a document',
      run() {
        const id = pick(yamlIds());
        const docs = text(id).split(/^---[ \t]*$/m);
        docs.splice(Math.floor(random() * docs.length), 1);
        setYaml(id, docs.join('---'));
      },
    },
    {
      name: 'copy a file',
      run() {
        const id = pick(yamlIds());
        const dir = random() < 0.5 ? id.slice(0, id.lastIndexOf('/') + 1) : pick(yamlIds()).replace(/[^/]*$/, '');
        setYaml(`${dir}copy-${++copies}.yaml`, text(id));
      },
    },
    {
      name: 'remove a file',
      run() {
        if (files.size > 3) remove(pick([...files.keys()]));
      },
    },
    {
      name: 'restore a file',
      run() {
        const [id, c] = pick([...original]);
        if ('yaml' in c) setYaml(id, c.yaml);
        else setOther(id, c.bytes);
      },
    },
    {
      name: 'replace a certificate file',
      run() {
        const pems = otherIds(/\.pem$/);
        if (!pems.length) return;
        const id = pick(pems);
        const from = (files.get(pick(pems)) as { bytes: Uint8Array }).bytes;
        setOther(id, random() < 0.3 ? from.slice(0, from.length >> 1) : from);
      },
    },
    {
      name: 'change a kubectl line',
      run() {
        const scripts = otherIds(/\.(sh|md)$/);
        if (!scripts.length) return;
        const id = pick(scripts);
        const old = new TextDecoder().decode((files.get(id) as { bytes: Uint8Array }).bytes);
        const lines = [...old.matchAll(/(-n |--namespace[= ])(\S+)/g)];
        const next = lines.length
          ? ((m) => old.slice(0, m.index!) + `${m[1]}${pick(namespaces)}` + old.slice(m.index! + m[0].length))(pick(lines))
          : old.replace(/secret tls (\S+)/, (_, n) => `secret tls ${n}x`);
        setOther(id, new TextEncoder().encode(next));
      },
    },
    {
      name: 'change the configuration',
      run() {
        const r = random();
        if (r < 0.5) {
          const id = pick(RULES).id;
          const sev = pick(['off', 'hint', undefined] as const);
          if (sev) config.severity[id] = sev;
          else delete config.severity[id];
        } else if (r < 0.75) config.rootNamespace = pick(namespaces);
        else config.expiryWarningDays = pick([1, 30, 365, 3650]);
      },
    },
    {
      name: 'move the clock',
      run() {
        now = new Date(TEST_NOW.getTime() + Math.round((random() - 0.3) * 4 * 365) * 86_400_000);
      },
    },
  ];

  const done: string[] = [];
  for (let i = 0; i < steps; i++) {
    const step = pick(steps_);
    step.run();
    done.push(step.name);
    assert.deepEqual(linter.lint(index, now), cold(files, config, now), `seed ${seed}, after: ${done.join(' → ')}`);
  }
}

test('random edits of the example workspaces: every re-lint equals a cold lint', () => {
  const files: Files = new Map();
  for (const name of readdirSync('examples').sort()) load(join('examples', name), `${name}/`, files);
  for (let seed = 1; seed <= 4; seed++) fuzz(seed, new Map(files), 30);
});

test('random edits of every rule fixture: every re-lint equals a cold lint', () => {
  const all = readdirSync('test/fixtures/rules').sort();
  // Groups of rules whose fixtures share one workspace, so each group stays small enough to lint cold per edit.
  for (let g = 0; g < all.length; g += 12) {
    const files: Files = new Map();
    for (const id of all.slice(g, g + 12)) load(join('test/fixtures/rules', id), `${id}/`, files);
    fuzz(100 + g, files, 25);
  }
});

// The contract the rule cache stands on: a workspace rule's findings depend only on what its `reads` lists, plus the
// placement (which covers every resource's kind, name and namespace). So for each kind a rule does not list, blanking
// the contents of every resource of that kind (spec, data, labels, annotations: everything but apiVersion, kind,
// name and namespace) must leave its findings exactly as they were; likewise certificate files for a rule without
// READS_OTHER_FILES and the clock for one without READS_NOW.

/** Same-length blanks over `text[from, to)`, keeping line ends, so no other offset moves. */
function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
}

/** Blanks a document's contents beyond its identity: every top-level block but apiVersion/kind/metadata, and metadata's labels and annotations. */
function blankContents(text: string, base: number, docText: string): string {
  const lines = docText.split('\n');
  let at = base;
  let top: string | undefined;
  let metaChild: string | undefined;
  let metaIndent = -1;
  for (const line of lines) {
    const end = at + line.length;
    const indent = line.length - line.trimStart().length;
    const key = /^\s*([\w.-]+):/.exec(line)?.[1];
    if (line.trim() !== '' && indent === 0 && !line.startsWith('#')) {
      top = key;
      metaChild = undefined;
      metaIndent = -1;
    }
    if (top !== undefined && !['apiVersion', 'kind', 'metadata'].includes(top)) text = blank(text, at, end);
    else if (top === 'metadata' && indent > 0 && line.trim() !== '') {
      if (metaIndent < 0) metaIndent = indent;
      if (indent === metaIndent) metaChild = key;
      if (metaChild === 'labels' || metaChild === 'annotations') text = blank(text, at, end);
    }
    at = end + 1;
  }
  return text;
}

function lintByRule(files: Files, now: Date): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const list of cold(files, DEFAULT_CONFIG, now).values()) {
    for (const f of list) {
      let seen = out.get(f.ruleId);
      if (!seen) out.set(f.ruleId, (seen = []));
      seen.push(JSON.stringify(f));
    }
  }
  return out;
}

function checkReads(files: Files, where: string): void {
  const declared = RULES.filter((r): r is WorkspaceRule & { reads: readonly string[] } => r.scope === 'workspace' && r.reads !== undefined);
  const base = lintByRule(files, TEST_NOW);
  const index = new WorkspaceIndex();
  for (const [id, c] of files) put(index, id, c);
  const variants = new Map<string, () => Map<string, string[]>>();
  const kinds = new Set<string>();
  for (const f of index.yamlFiles.values()) for (const r of f.resources) kinds.add(r.kind);
  for (const kind of kinds) {
    variants.set(kind, () => {
      const next: Files = new Map(files);
      for (const f of index.yamlFiles.values()) {
        const c = files.get(f.id);
        if (!c || !('yaml' in c)) continue;
        let text = c.yaml;
        for (const d of f.docs) {
          const rs = f.resources.filter((r) => r.doc === d);
          if (rs.length > 0 && rs.every((r) => r.kind === kind && r.path.length === 0)) text = blankContents(text, d.base, d.text);
        }
        next.set(f.id, { yaml: text });
      }
      return lintByRule(next, TEST_NOW);
    });
  }
  variants.set(READS_OTHER_FILES, () => {
    const next: Files = new Map(files);
    // Scripts also place resources (kubectl -n), which the placement covers: only certificate material goes.
    for (const [id, c] of files) if ('bytes' in c && !/\.(sh|bash|zsh|md|markdown|txt)$|Makefile$/.test(id)) next.set(id, { bytes: new Uint8Array(0) });
    return lintByRule(next, TEST_NOW);
  });
  variants.set(READS_NOW, () => lintByRule(files, new Date(TEST_NOW.getTime() + 20 * 365 * 86_400_000)));
  for (const [what, variant] of variants) {
    const rules = declared.filter((r) => !r.reads.includes(what));
    if (rules.length === 0) continue;
    const changed = variant();
    for (const r of rules) {
      assert.deepEqual(changed.get(r.id) ?? [], base.get(r.id) ?? [], `${where}: ${r.id} changes its findings when ${what} changes, but its reads do not list it`);
    }
  }
}

test('a workspace rule reads nothing it does not list in `reads`', () => {
  for (const name of readdirSync('examples').sort()) {
    const files: Files = new Map();
    load(join('examples', name), `${name}/`, files);
    checkReads(files, `examples/${name}`);
  }
  for (const id of readdirSync('test/fixtures/rules').sort()) {
    const files: Files = new Map();
    load(join('test/fixtures/rules', id), '', files);
    checkReads(files, `test/fixtures/rules/${id}`);
  }
});

test('edits the caches must see: each re-lint equals a cold lint, and each edit changes the findings', () => {
  const pem = (p: string) => new Uint8Array(readFileSync(join('examples/foocorp', p)));
  const files: Files = new Map<string, Content>([
    [
      'gw/gateway.yaml',
      {
        yaml: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: istio-system
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https-gen, protocol: HTTPS}
    hosts: [frontend.foocorp.com]
    tls: {mode: SIMPLE, credentialName: gen-cred}
  - port: {number: 8443, name: https-cm, protocol: HTTPS}
    hosts: [cm.example.com]
    tls: {mode: SIMPLE, credentialName: cm-cred}
`,
      },
    ],
    [
      'gw/kustomization.yaml',
      {
        yaml: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: istio-system
resources:
- gateway.yaml
- certificate.yaml
secretGenerator:
- name: gen-cred
  type: kubernetes.io/tls
  files:
  - tls.crt=cert.pem
  - tls.key=key.pem
`,
      },
    ],
    [
      'gw/certificate.yaml',
      {
        yaml: `apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: cm
  namespace: istio-system
spec:
  secretName: cm-cred
  dnsNames: [cm.example.com]
  issuerRef: {name: ca, kind: ClusterIssuer}
`,
      },
    ],
    ['gw/cert.pem', { bytes: pem('frontend.foocorp.com/3_application/certs/frontend.foocorp.com.cert.pem') }],
    ['gw/key.pem', { bytes: pem('frontend.foocorp.com/3_application/private/frontend.foocorp.com.key.pem') }],
    [
      'app/vs.yaml',
      {
        yaml: `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: frontend
spec:
  hosts: [frontend.foocorp.com]
  gateways: [istio-system/gw]
  http:
  - route:
    - destination: {host: frontend}
`,
      },
    ],
    [
      'app/dr.yaml',
      {
        yaml: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: frontend
  namespace: shop
spec:
  host: frontend
  subsets:
  - name: v1
    labels: {version: v1}
`,
      },
    ],
    ['deploy.sh', { bytes: new TextEncoder().encode('kubectl apply -n shop -f app/vs.yaml\n') }],
  ]);
  const config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  const index = new WorkspaceIndex();
  for (const [id, c] of files) put(index, id, c);
  const linter = new Linter({ config, now: TEST_NOW });
  let before = linter.lint(index, TEST_NOW);
  assert.deepEqual(before, cold(files, config, TEST_NOW));

  const yaml = (id: string) => (files.get(id) as { yaml: string }).yaml;
  const { setYaml, setOther } = editing(files, index);
  const edits: [string, () => void][] = [
    ['a VirtualService host', () => setYaml('app/vs.yaml', yaml('app/vs.yaml').replace('hosts: [frontend.foocorp.com]', 'hosts: [elsewhere.foocorp.com]'))],
    ['a Gateway host, to the VirtualService host', () => setYaml('gw/gateway.yaml', yaml('gw/gateway.yaml').replace('hosts: [frontend.foocorp.com]', 'hosts: [elsewhere.foocorp.com]'))],
    ['a route to an unknown subset', () => setYaml('app/vs.yaml', yaml('app/vs.yaml').replace('destination: {host: frontend}', 'destination: {host: frontend, subset: v2}'))],
    ['the DestinationRule subset, to the routed one', () => setYaml('app/dr.yaml', yaml('app/dr.yaml').replace('- name: v1', '- name: v2'))],
    ['the secretGenerator keeps its name (no hash suffix)', () => setYaml('gw/kustomization.yaml', `${yaml('gw/kustomization.yaml')}  options: {disableNameSuffixHash: true}\n`)],
    ['the certificate behind the generated Secret', () => setOther('gw/cert.pem', pem('inventory.foocorp.com/3_application/certs/inventory.foocorp.com.cert.pem'))],
    ['the cert-manager Certificate writes another Secret', () => setYaml('gw/certificate.yaml', yaml('gw/certificate.yaml').replace('secretName: cm-cred', 'secretName: other-cred'))],
    ['the kubectl -n line', () => setOther('deploy.sh', new TextEncoder().encode('kubectl apply -n istio-system -f app/vs.yaml\n'))],
    ['the kustomization namespace', () => setYaml('gw/kustomization.yaml', yaml('gw/kustomization.yaml').replace('namespace: istio-system', 'namespace: edge'))],
    ['the Gateway removed', () => {
      files.delete('gw/gateway.yaml');
      index.removeFile('gw/gateway.yaml');
    }],
    ['a rule turned off', () => (config.severity['virtual-service-gateway-not-found'] = 'off')],
  ];
  for (const [what, edit] of edits) {
    edit();
    const after = linter.lint(index, TEST_NOW);
    assert.deepEqual(after, cold(files, config, TEST_NOW), `after changing ${what}`);
    assert.notDeepEqual(after, before, `changing ${what} changes the findings (else this step tests nothing)`);
    before = after;
  }
});
