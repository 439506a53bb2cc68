// Side-by-side lint benchmark (issue 4 §4). Not a test: it prints timings and ratios and asserts nothing.
//
//   npm run bench:lint                 (1k, 10k, 50k and 200k lines)
//   npm run bench:lint -- 10000        (only the sizes given)
//
// For each workspace size it times, in this one process:
//   (a) the bare `yaml` parse (parseAllDocuments of every file),
//   (b) yaml-language-server's doValidation of every file against a strict JSON schema built from the same Istio CRDs
//       that meshtls's schema comes from (parse + schema, the way an editor runs it after a change),
//   (c) meshtls's full lint, cold (new WorkspaceIndex + Linter over every file),
//   (d) meshtls's re-lint after a one-line edit inside one document of one file (warm index and linter).
import { mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { parseAllDocuments } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server/lib/umd/languageservice/yamlLanguageService';
import { WorkspaceIndex } from '../src/core/index/workspace-index';
import { Linter } from '../src/core/lint';
import { DEFAULT_CONFIG, type MeshtlsConfig } from '../src/core/config';
import { RULES } from '../src/core/rules/registry';

const ROOT = resolve(__dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work');
// `../shared` from the main checkout; worktrees sit one level deeper.
const CRD_CANDIDATES = [join(ROOT, '..', 'shared'), join(ROOT, '..', '..', 'shared')].map((d) =>
  join(d, 'vendor', 'istio-api', 'customresourcedefinitions.gen.yaml'),
);
const NOW = new Date('2026-11-23T00:00:00Z');

interface BenchFile {
  id: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace generator. One file per team namespace, several documents each, shaped like the secure-ingress
// walkthrough at scale: a Gateway with several MUTUAL servers, VirtualServices bound to it with routes and matches,
// DestinationRules with subsets, a namespace PeerAuthentication and the TLS Secrets behind the credentials.
// Deterministic (seeded) so runs compare.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SERVICES = ['api', 'web', 'payments', 'search', 'auth', 'reports'];

function teamServices(t: number): string[] {
  return SERVICES.slice(0, 3 + (t % 3));
}

// Real certificates, so the credential rules do the work they do on a real workspace: one P-256 CA per run and a
// leaf per credential with its host as SAN, valid at the benchmark's fixed `now`. Keys are tiny (ECDSA), so the
// YAML stays close to what a team commits.
interface Credential {
  cert: string;
  key: string;
  ca: string;
}

interface Pki {
  credential(host: string): Promise<Credential>;
}

/**
 * @peculiar/x509 resolves its providers through tsyringe, which requires a `Reflect.getMetadata` polyfill before it
 * loads; a map-backed one is enough for what x509 stores.
 */
function loadX509(): typeof X509 {
  const R = Reflect as unknown as Record<string, unknown>;
  if (typeof R.getMetadata !== 'function') {
    const meta = new WeakMap<object, Map<string, unknown>>();
    const own = (target: object) => {
      let m = meta.get(target);
      if (!m) meta.set(target, (m = new Map()));
      return m;
    };
    const k = (key: unknown, prop: unknown) => `${String(prop ?? '')}\u0000${String(key)}`;
    R.defineMetadata = (key: unknown, value: unknown, target: object, prop?: unknown) => void own(target).set(k(key, prop), value);
    R.getOwnMetadata = (key: unknown, target: object, prop?: unknown) => own(target).get(k(key, prop));
    R.hasOwnMetadata = (key: unknown, target: object, prop?: unknown) => own(target).has(k(key, prop));
    R.getMetadata = (key: unknown, target: object, prop?: unknown) => {
      for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) if (own(o).has(k(key, prop))) return own(o).get(k(key, prop));
      return undefined;
    };
    R.hasMetadata = (key: unknown, target: object, prop?: unknown) => (R.getMetadata as (...a: unknown[]) => unknown)(key, target, prop) !== undefined;
    R.metadata = (key: unknown, value: unknown) => (target: object, prop?: unknown) => void own(target).set(k(key, prop), value);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('@peculiar/x509') as typeof X509;
  lib.cryptoProvider.set(webcrypto as unknown as Crypto);
  return lib;
}

async function createPki(): Promise<Pki> {
  const x509 = loadX509();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2028-01-01T00:00:00Z');
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=meshtls bench root CA, O=bench',
    notBefore,
    notAfter: new Date('2036-01-01T00:00:00Z'),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const b64 = (pem: string) => Buffer.from(pem.endsWith('\n') ? pem : `${pem}\n`).toString('base64');
  const caPem = b64(ca.toString('pem'));
  let serial = 1;
  return {
    async credential(host) {
      const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (++serial).toString(16).padStart(2, '0'),
        subject: `CN=${host}, O=bench`,
        issuer: ca.subject,
        notBefore,
        notAfter,
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }]),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
      const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
      return { cert: b64(cert.toString('pem')), key: b64(keyPem), ca: caPem };
    },
  };
}

function teamFile(t: number, rand: () => number, creds: Map<string, Credential>): string {
  const ns = `team-${t}`;
  const services = teamServices(t);
  const docs: string[] = [];
  const servers = services
    .map(
      (svc) => `  - port:
      number: 443
      name: https-${svc}
      protocol: HTTPS
    hosts:
    - ${svc}.${ns}.example.com
    tls:
      mode: MUTUAL
      credentialName: ${ns}-${svc}-credential
      minProtocolVersion: TLSV1_2
`,
    )
    .join('');
  docs.push(`# Ingress for ${ns}: one MUTUAL server per service, plus the HTTP redirect.
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ${ns}-gateway
  namespace: ${ns}
  labels:
    app.kubernetes.io/part-of: ${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
${servers}  - port:
      number: 80
      name: http-${ns}
      protocol: HTTP
    hosts:
${services.map((svc) => `    - ${svc}.${ns}.example.com\n`).join('')}    tls:
      httpsRedirect: true
`);
  for (const svc of services) {
    const host = `${svc}.${ns}.svc.cluster.local`;
    const canary = Math.floor(rand() * 30);
    docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${svc}
  namespace: ${ns}
spec:
  hosts:
  - ${svc}.${ns}.example.com
  gateways:
  - ${ns}-gateway
  http:
  - name: ${svc}-canary
    match:
    - uri:
        prefix: /v2/
      headers:
        x-canary:
          exact: "true"
    route:
    - destination:
        host: ${host}
        subset: v2
        port:
          number: 8080
  - name: ${svc}-default
    match:
    - uri:
        prefix: /
    route:
    - destination:
        host: ${host}
        subset: v1
        port:
          number: 8080
      weight: ${100 - canary}
    - destination:
        host: ${host}
        subset: v2
        port:
          number: 8080
      weight: ${canary}
    retries:
      attempts: 3
      perTryTimeout: 2s
    timeout: 10s
`);
    docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${svc}
  namespace: ${ns}
spec:
  host: ${host}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
    connectionPool:
      tcp:
        maxConnections: 100
      http:
        http1MaxPendingRequests: 64
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
`);
    const cred = creds.get(`${svc}.${ns}.example.com`)!;
    docs.push(`apiVersion: v1
kind: Secret
metadata:
  name: ${ns}-${svc}-credential
  namespace: istio-system
type: kubernetes.io/tls
data:
  tls.crt: ${cred.cert}
  tls.key: ${cred.key}
  ca.crt: ${cred.ca}
`);
  }
  docs.push(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${ns}
spec:
  mtls:
    mode: STRICT
`);
  return docs.join('---\n');
}

const MESH_WIDE = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
`;

async function generateWorkspace(lines: number, pki: Pki): Promise<BenchFile[]> {
  const rand = rng(lines);
  const files: BenchFile[] = [{ id: 'istio-system/peer-authentication.yaml', text: MESH_WIDE }];
  let count = lineCount(MESH_WIDE);
  for (let t = 0; count < lines; t++) {
    const creds = new Map<string, Credential>();
    for (const svc of teamServices(t)) {
      const host = `${svc}.team-${t}.example.com`;
      creds.set(host, await pki.credential(host));
    }
    const text = teamFile(t, rand, creds);
    files.push({ id: `team-${t}/istio.yaml`, text });
    count += lineCount(text);
  }
  return files;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// The strict JSON schema for yaml-language-server, from the same CRDs: one `if kind/apiVersion then <CRD schema>`
// branch per served version, with additionalProperties: false on every object that lists its properties.

type JsonSchema = { [k: string]: unknown };

const OBJECT_META: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    finalizers: { type: 'array', items: { type: 'string' } },
  },
};

function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== 'object' || node === null) return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-')) continue;
    // Property names are data, not keywords: recurse into each value, keep the names.
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as JsonSchema).map(([p, s]) => [p, strict(s)]));
    else out[k] = strict(v);
  }
  if (src['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (src.properties && src.additionalProperties === undefined && !src['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function istioSchema(): JsonSchema {
  const path = CRD_CANDIDATES.find((p) => existsSync(p));
  if (!path) throw new Error(`Istio CRDs not found at ${CRD_CANDIDATES.join(' or ')}`);
  const text = readFileSync(path, 'utf8');
  const wanted = new Set(['Gateway', 'VirtualService', 'DestinationRule', 'PeerAuthentication']);
  const branches: JsonSchema[] = [];
  for (const d of parseAllDocuments(text)) {
    const crd = d.toJS() as { spec?: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: JsonSchema } }[] } };
    if (!crd?.spec || !wanted.has(crd.spec.names.kind)) continue;
    for (const v of crd.spec.versions) {
      const schema = strict(v.schema.openAPIV3Schema) as JsonSchema;
      schema.properties = {
        ...(schema.properties as JsonSchema),
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META,
      };
      schema.additionalProperties = false;
      branches.push(branch(`${crd.spec.group}/${v.name}`, crd.spec.names.kind, schema));
    }
  }
  branches.push(
    branch('v1', 'Secret', {
      type: 'object',
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: OBJECT_META,
        type: { type: 'string' },
        immutable: { type: 'boolean' },
        data: { type: 'object', additionalProperties: { type: 'string' } },
        stringData: { type: 'object', additionalProperties: { type: 'string' } },
      },
    }),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
    allOf: branches,
  };
}

function branch(apiVersion: string, kind: string, then: JsonSchema): JsonSchema {
  return {
    if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
    then,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Timing helpers.

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

// `--only=cd` times only some of the columns (for profiling one side with node --cpu-prof).
const ONLY = new Set((process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? 'abcd').split(''));
const NONE: Stats = { median: NaN, min: NaN, max: NaN, n: 0 };

/**
 * Wall clock is what a user waits; CPU time (user + system of this process, process.cpuUsage) is what the work costs
 * and barely moves when other processes compete for the cores. On a shared machine the CPU-time ratios are the ones
 * to trust; both are printed.
 */
interface Measure {
  wall: Stats;
  cpu: Stats;
}
const SKIPPED: Measure = { wall: NONE, cpu: NONE };


/**
 * `--off=cert-,credential-` turns off every rule whose id starts with one of the prefixes, to see what a group of
 * rules costs (the difference to a run without it).
 */
const OFF = (process.argv.find((a) => a.startsWith('--off='))?.slice('--off='.length) ?? '').split(',').filter(Boolean);
const CONFIG: MeshtlsConfig = {
  ...DEFAULT_CONFIG,
  severity: Object.fromEntries(RULES.filter((r) => OFF.some((p) => r.id.startsWith(p))).map((r) => [r.id, 'off' as const])),
};

type Job = () => unknown;

/** Runs a job at least `warmup` times and for at least 300 ms, so the JIT has settled before sampling. */
async function warm(fn: Job, warmup: number): Promise<void> {
  const until = performance.now() + 300;
  for (let i = 0; i < warmup || performance.now() < until; i++) await fn();
}

// No forced gc() between samples: a forced full collection shrinks the young generation, and the next job then pays
// for regrowing it (it made a 26 ms parse measure 150 ms). Each job pays for the collections its own garbage causes.
async function sample(fn: Job): Promise<[wall: number, cpu: number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}

/**
 * Times several jobs round-robin (a, b, c; then b, c, a; …) instead of one after the other: the machine is shared,
 * and interleaving makes a burst of outside load hit every column alike, which keeps the ratios honest.
 */
async function timeInterleaved(jobs: Record<string, Job | undefined>, iterations: number, warmup: number): Promise<Record<string, Measure>> {
  const names = Object.keys(jobs).filter((k) => jobs[k]);
  for (const k of names) await warm(jobs[k]!, warmup);
  const samples: Record<string, [number, number][]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < names.length; j++) {
      const k = names[(i + j) % names.length];
      samples[k].push(await sample(jobs[k]!));
    }
  }
  const out: Record<string, Measure> = {};
  for (const k of Object.keys(jobs)) {
    out[k] = samples[k] ? { wall: stats(samples[k].map((x) => x[0])), cpu: stats(samples[k].map((x) => x[1])) } : SKIPPED;
  }
  return out;
}

function fmt(s: Stats): string {
  const d = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
  return `${d(s.median)} [${d(s.min)}–${d(s.max)}]`;
}

// ---------------------------------------------------------------------------------------------------------------

interface Row {
  lines: number;
  files: number;
  docs: number;
  a: Measure;
  b: Measure;
  c: Measure;
  d: Measure;
  bDiagnostics: number;
  cFindings: number;
}

async function benchSize(target: number, schema: JsonSchema, pki: Pki): Promise<Row> {
  const files = await generateWorkspace(target, pki);
  const dir = join(WORK, `ws-${target}`);
  rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(join(dir, f.id, '..'), { recursive: true });
    writeFileSync(join(dir, f.id), f.text);
  }
  const lines = files.reduce((n, f) => n + lineCount(f.text), 0);
  const docs = files.reduce((n, f) => n + parseAllDocuments(f.text).length, 0);
  const iterations = target <= 1000 ? 30 : target <= 10000 ? 11 : 5;
  const warmup = target <= 10000 ? 3 : 1;

  // (b) yaml-language-server. A new document version per run makes it re-parse, as after an edit.
  const ls = getLanguageService({
    schemaRequestService: async (uri) => {
      throw new Error(`no network: ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (p) => p },
  });
  ls.configure({
    validate: true,
    hover: false,
    completion: false,
    format: false,
    isKubernetes: false,
    schemas: [{ uri: 'file:///meshtls-bench/istio-strict.json', fileMatch: ['*.yaml'], schema }],
  });
  if (ONLY.has('b')) await checkSchemaApplies(ls);
  let version = 0;
  let bDiagnostics = 0;
  let cFindings = 0;
  const jobs: Record<string, Job | undefined> = {
    // (a) the bare parse.
    a: () => {
      for (const f of files) parseAllDocuments(f.text);
    },
    b: async () => {
      version++;
      let n = 0;
      for (const f of files) {
        const doc = TextDocument.create(`file:///ws/${f.id}`, 'yaml', version, f.text);
        n += (await ls.doValidation(doc, false)).length;
      }
      bDiagnostics = n;
    },
    // (c) meshtls, cold: everything from the texts to the findings.
    c: () => {
      const index = new WorkspaceIndex();
      for (const f of files) index.setYamlFile(f.id, f.text);
      const result = new Linter({ config: CONFIG, now: NOW }).lint(index, NOW);
      cFindings = 0;
      for (const list of result.values()) cFindings += list.length;
    },
  };
  for (const k of Object.keys(jobs)) if (!ONLY.has(k)) jobs[k] = undefined;
  const { a, b, c } = await timeInterleaved(jobs, iterations, warmup);

  // (d) meshtls, warm: a one-line edit inside one document of one file, then lint everything again.
  const index = new WorkspaceIndex();
  for (const f of files) index.setYamlFile(f.id, f.text);
  const linter = new Linter({ config: CONFIG, now: NOW });
  linter.lint(index, NOW);
  const edit = files[Math.floor(files.length / 2)];
  const texts = [edit.text, edit.text.replace('    timeout: 10s\n', '    timeout: 11s\n')];
  if (texts[0] === texts[1]) throw new Error('the edit did not apply');
  let flip = 0;
  const relint: Job = () => {
    flip ^= 1;
    index.setYamlFile(edit.id, texts[flip]);
    linter.lint(index, NOW);
  };
  const { d } = await timeInterleaved({ d: ONLY.has('d') ? relint : undefined }, target <= 10000 ? 60 : 30, 5);

  return { lines, files: files.length, docs, a, b, c, d, bDiagnostics, cFindings };
}

type YamlLs = ReturnType<typeof getLanguageService>;

/**
 * A schema that silently matched nothing would make (b) look cheap: plant an unknown field and a bad enum and make
 * sure yaml-language-server reports them before timing it.
 */
async function checkSchemaApplies(ls: YamlLs): Promise<void> {
  const planted = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: planted
spec:
  selector:
    istio: ingressgateway
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [a.example.com]
    tls:
      mode: MUTUAL_TLS
      credentialNme: a-credential
`;
  const diags = await ls.doValidation(TextDocument.create('file:///check/planted.yaml', 'yaml', 1, planted), false);
  const messages = diags.map((d) => d.message).join(' | ');
  if (!/credentialNme/.test(messages) || !/MUTUAL_TLS|allowed values|Value is not accepted/i.test(messages)) {
    throw new Error(`yaml-language-server did not apply the Istio schema; diagnostics: ${messages || '(none)'}`);
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const targets = sizes.length ? sizes : [1000, 10000, 50000, 200000];
  mkdirSync(WORK, { recursive: true });
  const schema = istioSchema();
  const pki = await createPki();
  writeFileSync(join(WORK, 'istio-strict.schema.json'), JSON.stringify(schema));
  const cpu = cpus();
  process.stdout.write(
    `meshtls lint benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpu.length} cores (${cpu[0]?.model ?? '?'})\n` +
      `(d) = a one-line edit inside one document, then a re-lint of the whole workspace; ${RULES.length} rules` +
      (OFF.length ? `, ${Object.keys(CONFIG.severity).length} turned off (${OFF.join(', ')}*)` : '') +
      '\n\n',
  );
  const rows: Row[] = [];
  for (const t of targets) {
    const row = await benchSize(t, schema, pki);
    rows.push(row);
    process.stdout.write(
      `${row.lines} lines, ${row.files} files, ${row.docs} documents; yaml-language-server diagnostics ${row.bDiagnostics}, meshtls findings ${row.cFindings}\n`,
    );
  }
  for (const m of ['cpu', 'wall'] as const) {
    process.stdout.write(
      `\n${m === 'cpu' ? 'CPU time' : 'Wall clock'}, ms, median [min–max]\n` +
        '| lines | (a) yaml parse | (b) yaml-language-server | (c) meshtls cold | (d) meshtls edit | (c)/(b) |\n|---|---|---|---|---|---|\n',
    );
    for (const r of rows) {
      process.stdout.write(
        `| ${r.lines} | ${fmt(r.a[m])} | ${fmt(r.b[m])} | ${fmt(r.c[m])} | ${fmt(r.d[m])} | ${(r.c[m].median / r.b[m].median).toFixed(2)} |\n`,
      );
    }
  }
  const ten = rows.find((r) => r.lines >= 9000 && r.lines <= 11000);
  if (ten) {
    process.stdout.write(
      `\n10k lines (targets: (c)/(b) ≤ 0.75, (d) ≤ 16 ms): CPU (c)/(b) = ${(ten.c.cpu.median / ten.b.cpu.median).toFixed(2)}, ` +
        `(d) = ${ten.d.cpu.median.toFixed(2)} ms; wall (c)/(b) = ${(ten.c.wall.median / ten.b.wall.median).toFixed(2)}, (d) = ${ten.d.wall.median.toFixed(2)} ms\n`,
    );
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
