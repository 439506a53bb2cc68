// Cost of the cross-resource rules, which re-run over the whole workspace on every keystroke. Generates a synthetic
// workspace of N lines (Gateways, VirtualServices, DestinationRules, PeerAuthentications, Services in many
// namespaces, with shared selectors and credentials so the grouping paths are exercised), then times:
//   - all cross rules on a fresh index (shared model built once),
//   - the same after one document changed (what a keystroke pays),
//   - the full registry (resource rules cached) after one change, for scale.
// Run: node esbuild.mjs --tests && node out/bench/cross-rules.js [lines...]
import { WorkspaceIndex } from '../src/core/index/workspace-index';
import { Linter } from '../src/core/lint';
import { DEFAULT_CONFIG } from '../src/core/config';
import { CROSS_RULES } from '../src/core/rules/cross';

function workspace(targetLines: number): Record<string, string> {
  const files: Record<string, string> = {};
  let lines = 0;
  for (let ns = 0; lines < targetLines; ns++) {
    const docs: string[] = [];
    const host = (i: number) => `svc${i}.ns${ns}.example.com`;
    docs.push(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: ns${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
${[0, 1, 2, 3].map((i) => `    - port: {number: 443, name: https-${i}, protocol: HTTPS}
      tls: {mode: SIMPLE, credentialName: cred-${ns}-${i}}
      hosts: [${host(i)}]`).join('\n')}`);
    for (let i = 0; i < 4; i++) {
      docs.push(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs${i}
  namespace: ns${ns}
spec:
  hosts: [${host(i)}]
  gateways: [gw${i === 3 ? 'x' : ''}]
  http:
    - route:
        - destination: {host: svc${i}, subset: v1}`);
      docs.push(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: svc${i}
  namespace: ns${ns}
spec:
  host: svc${i}
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
  subsets:
    - name: v1
      labels: {version: v1}`);
      docs.push(`apiVersion: v1
kind: Service
metadata: {name: svc${i}, namespace: ns${ns}}
spec:
  selector: {app: svc${i}}
  ports: [{name: http, port: 80, targetPort: 8080}]`);
    }
    docs.push(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: ns${ns}}
spec:
  mtls: {mode: ${ns % 2 ? 'STRICT' : 'PERMISSIVE'}}`);
    const text = docs.join('\n---\n') + '\n';
    files[`ws/ns${ns}.yaml`] = text;
    lines += text.split('\n').length;
  }
  return files;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * Process CPU time per call (user + system), after warm-up runs: the machine is shared, so wall time mostly
 * measures the neighbours; CPU time of this single-threaded work is the steadier number.
 */
function time(runs: number, fn: () => void): { median: number; min: number; max: number } {
  for (let i = 0; i < 5; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    xs.push((d.user + d.system) / 1000);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

const fmt = (r: { median: number; min: number; max: number }) => `${r.median.toFixed(2)} [${r.min.toFixed(2)}–${r.max.toFixed(2)}]`;

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length ? sizes : [1000, 10000, 50000]) {
  const files = workspace(n);
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries(files)) index.setYamlFile(id, text);
  const resources = [...index.yamlFiles.values()].reduce((a, f) => a + f.resources.length, 0);
  const crossOnly = new Linter({ config: DEFAULT_CONFIG, now: new Date(), rules: CROSS_RULES });
  const full = new Linter({ config: DEFAULT_CONFIG, now: new Date() });
  let findings = 0;
  for (const list of crossOnly.lint(index).values()) findings += list.length;
  const first = Object.keys(files)[0];
  let flip = false;
  const touch = () => {
    // One keystroke: one document of one file changes, which bumps the index version.
    flip = !flip;
    index.setYamlFile(first, files[first].replace('name: vs0', flip ? 'name: vs0a' : 'name: vs0'));
  };
  const crossFresh = time(30, () => {
    touch();
    crossOnly.lint(index);
  });
  full.lint(index);
  const fullAfterEdit = time(30, () => {
    touch();
    full.lint(index);
  });
  const setOnly = time(30, touch);
  console.log(
    `${n} lines (${Object.keys(files).length} files, ${resources} resources, ${findings} cross findings): ` +
      `edit+cross rules ${fmt(crossFresh)} ms CPU · edit alone ${fmt(setOnly)} ms · edit+full registry ${fmt(fullAfterEdit)} ms`,
  );
}
