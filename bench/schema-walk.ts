// What the schema walk adds to a lint. Run: node esbuild.mjs --tests && node out/bench/schema-walk.js [lines]
// Prints medians of several runs in CPU milliseconds; compare the rows of one run with each other, not with other machines.
import { parseYamlFile, nodeAt } from '../src/core/yaml/documents';
import { resourcesOf } from '../src/core/istio/resource';
import { resourceSchema, validateNode } from '../src/core/istio/schema';
import { WorkspaceIndex } from '../src/core/index/workspace-index';
import { Linter } from '../src/core/lint';
import { DEFAULT_CONFIG } from '../src/core/config';
import { RULES } from '../src/core/rules/registry';
import { SCHEMA_RULES } from '../src/core/rules/schema';

function gateway(i: number): string {
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${i}
  namespace: istio-system
  labels: {app: gw-${i}, team: "t${i % 7}"}
spec:
  selector:
    istio: ingressgateway
  servers:
    - port: {number: 443, name: https-${i}, protocol: HTTPS}
      hosts: [app-${i}.example.com, api-${i}.example.com]
      tls:
        mode: MUTUAL
        credentialName: cred-${i}
        minProtocolVersion: TLSV1_2
    - port: {number: 80, name: http-${i}, protocol: HTTP}
      hosts: [app-${i}.example.com]
      tls: {httpsRedirect: true}
`;
}

function virtualService(i: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${i}
  namespace: apps
spec:
  hosts: [app-${i}.example.com]
  gateways: [istio-system/gw-${i}]
  http:
    - match:
        - uri: {prefix: /api}
          headers:
            x-tenant: {exact: t${i}}
      route:
        - destination: {host: api-${i}.apps.svc.cluster.local, port: {number: 8080}, subset: v1}
          weight: 90
        - destination: {host: api-${i}.apps.svc.cluster.local, port: {number: 8080}, subset: v2}
          weight: 10
      timeout: 5s
      retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset"}
    - route:
        - destination: {host: web-${i}.apps.svc.cluster.local}
`;
}

function corpus(lines: number): string {
  const docs: string[] = [];
  let n = 0;
  for (let i = 0; n < lines; i++) {
    const d = i % 2 === 0 ? gateway(i) : virtualService(i);
    docs.push(d);
    n += d.split('\n').length;
  }
  return docs.join('---\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** CPU time (user + system) rather than wall time: on a shared machine other processes inflate wall time. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function time(runs: number, f: () => void): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = cpuNow();
    f();
    out.push(cpuNow() - t);
  }
  return median(out);
}

const lines = Number(process.argv[2] ?? 10000);
const text = corpus(lines);
const now = new Date('2026-11-23T00:00:00Z');
const runs = 9;

const parse = time(runs, () => parseYamlFile('bench.yaml', text).flatMap(resourcesOf));
const resources = parseYamlFile('bench.yaml', text).flatMap(resourcesOf);
// validateNode directly, since schemaIssues() caches per resource and would hide the walk after the first run.
let issues = 0;
const walk = time(25, () => {
  issues = 0;
  for (const r of resources) {
    const schema = resourceSchema(r.kind, r.version);
    if (schema) issues += validateNode({ doc: r.doc, node: nodeAt(r.doc.doc, r.path), schema, kind: r.kind }).length;
  }
});
const lintWith = (rules: typeof RULES) =>
  time(runs, () => {
    const index = new WorkspaceIndex();
    index.setYamlFile('bench.yaml', text);
    new Linter({ config: DEFAULT_CONFIG, now, rules }).lint(index, now);
  });
const withSchema = lintWith(RULES);
const withoutSchema = lintWith(RULES.filter((r) => !SCHEMA_RULES.includes(r)));

console.log(`${text.split('\n').length} lines, ${resources.length} resources, ${issues} schema issues`);
console.log(`parse + resources        ${parse.toFixed(1)} ms`);
console.log(`schema walk only         ${walk.toFixed(2)} ms`);
console.log(`schema walk / parse      ${((100 * walk) / parse).toFixed(1)} %`);
console.log(`lint, all rules          ${withSchema.toFixed(1)} ms`);
console.log(`lint, without schema     ${withoutSchema.toFixed(1)} ms`);
