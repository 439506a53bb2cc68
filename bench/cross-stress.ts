// Growth of the cross-resource rules with the number of resources, on the shapes that used to be quadratic:
// Gateways sharing one credential, Gateways with servers on the same host, DestinationRules + VirtualServices
// (subset check). Prints parse and lint time per resource at each size, so super-linear growth shows as a rising
// per-resource figure. Targets (issue 14): 20,000 Gateways sharing a credential linted in ≤ 2 s.
// Run: node esbuild.mjs --tests && node out/bench/cross-stress.js [sizes...] [--only=text] (shapes whose name has it)
import { WorkspaceIndex } from '../src/core/index/workspace-index';
import { Linter } from '../src/core/lint';
import { DEFAULT_CONFIG } from '../src/core/config';
import { gateway, destinationRule, virtualService, many } from './hostile-inputs';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [2_500, 5_000, 10_000, 20_000];

const shapes: { name: string; files: (n: number) => Record<string, string> }[] = [
  { name: 'Gateways sharing a credential', files: (n) => ({ 'gw.yaml': many(n, (i) => gateway(i, { credential: 'shared' })) }) },
  { name: 'Gateways on the same host', files: (n) => ({ 'gw.yaml': many(n, (i) => gateway(i, { host: 'same.example.com', selector: `gw${i % 100}` })) }) },
  { name: 'DestinationRules + VirtualServices', files: (n) => ({ 'dr.yaml': many(n / 2, destinationRule), 'vs.yaml': many(n / 2, virtualService) }) },
  // Each Gateway with a selector of its own: selector comparisons were pairwise within a certificate or host group.
  { name: 'sharing a credential, a selector each', files: (n) => ({ 'gw.yaml': many(n, (i) => gateway(i, { credential: 'shared', selector: `gw${i}` })) }) },
  { name: 'same host, a selector each, one Pod', files: (n) => ({ 'gw.yaml': many(n, (i) => gateway(i, { host: 'same.example.com', selector: `gw${i}` })), 'pod.yaml': POD }) },
  // Half wildcards, half names under them, on one port: every wildcard was tested against every name.
  { name: 'wildcard and exact hosts on one port', files: (n) => ({ 'gw.yaml': many(n, (i) => gateway(i, { host: i % 2 ? `"*.h${i}.example.com"` : `a.h${i + 1}.example.com` })) }) },
];

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: istio-system, labels: {istio: gw0}}\nspec: {containers: [{name: c, image: i}]}\n';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

console.log(`${'shape'.padEnd(36)} ${'resources'.padStart(9)} ${'parse ms'.padStart(9)} ${'lint ms'.padStart(9)} ${'µs/res'.padStart(8)} findings`);
for (const shape of shapes) {
  if (only && !shape.name.includes(only)) continue;
  for (const n of SIZES) {
    const files = shape.files(n);
    const index = new WorkspaceIndex();
    const t0 = cpuMs();
    for (const [id, text] of Object.entries(files)) index.setYamlFile(id, text);
    const t1 = cpuMs();
    const now = new Date('2026-06-01');
    const out = new Linter({ config: structuredClone(DEFAULT_CONFIG), now }).lint(index, now);
    const t2 = cpuMs();
    let findings = 0;
    for (const list of out.values()) findings += list.length;
    console.log(`${shape.name.padEnd(36)} ${String(n).padStart(9)} ${(t1 - t0).toFixed(0).padStart(9)} ${(t2 - t1).toFixed(0).padStart(9)} ${(((t2 - t1) * 1000) / n).toFixed(0).padStart(8)} ${findings}`);
  }
}
