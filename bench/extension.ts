// Editor-side figures for issue 7 (not a test: it prints and asserts nothing).
//
//   npm run bench:extension
//
// (1) bundle size: the production build of dist/extension.js (what the .vsix ships) and the packaged .vsix if present;
// (2) re-lint latency after a one-character edit in a 1k-line multi-document file, warm: exactly what the extension
//     does per keystroke (WorkspaceIndex.setYamlFile + Linter.lint over the workspace);
// (3) a full workspace scan of 1,000 YAML files and 400 PEM files (44 PKI trees and a few CSRs), read from disk by the
//     CLI's loader and linted cold — the same core work the extension's startup scan does, without the editor's file
//     service in front;
// (4) activation: measured inside code-server by the in-editor suites (the extension exports `activationMillis`);
//     run `npm test` and read the "activation" line of the editor test output.
import { mkdirSync, writeFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { WorkspaceIndex } from '../src/core/index/workspace-index';
import { Linter } from '../src/core/lint';
import { DEFAULT_CONFIG } from '../src/core/config';
import { generatePki } from '../src/core/pki';
import { loadWorkspace } from '../src/node/workspace';

const ROOT = resolve(__dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work', 'extension');
const NOW = new Date();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(xs: number[]): string {
  return `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
}

function gatewayDoc(team: number, hosts: string[]): string {
  const servers = hosts
    .map(
      (h, i) => `    - port:
        number: 443
        name: https-${i}
        protocol: HTTPS
      tls:
        mode: MUTUAL
        credentialName: ${h.split('.')[0]}-credential
      hosts:
        - ${h}`,
    )
    .join('\n');
  return `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${team}
  namespace: team-${team}
spec:
  selector:
    istio: ingressgateway
  servers:
${servers}
`;
}

function vsDoc(team: number, host: string, i: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${team}-${i}
  namespace: team-${team}
spec:
  hosts:
    - ${host}
  gateways:
    - gw-${team}
  http:
    - match:
        - uri:
            prefix: /api
      route:
        - destination:
            host: svc-${i}.team-${team}.svc.cluster.local
            port:
              number: 8080
          weight: 90
        - destination:
            host: svc-${i}-canary.team-${team}.svc.cluster.local
            port:
              number: 8080
          weight: 10
`;
}

/** A ~1,000-line file: Gateways and VirtualServices of several teams. */
function thousandLines(): string {
  const docs: string[] = [];
  let t = 0;
  while (docs.join('---\n').split('\n').length < 1000) {
    const hosts = [0, 1, 2].map((i) => `app${i}.team${t}.example.com`);
    docs.push(gatewayDoc(t, hosts), ...hosts.map((h, i) => vsDoc(t, h, i)));
    t++;
  }
  return docs.join('---\n');
}

async function main(): Promise<void> {
  // (1) bundle size
  spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
  const ext = statSync(join(ROOT, 'dist', 'extension.js')).size;
  const vsix = existsSync(join(ROOT, 'meshtls.vsix')) ? statSync(join(ROOT, 'meshtls.vsix')).size : undefined;
  spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });

  // (2) re-lint after a one-character edit, warm
  const text = thousandLines();
  const index = new WorkspaceIndex();
  index.setYamlFile('big.yaml', text);
  const linter = new Linter({ config: DEFAULT_CONFIG, now: NOW });
  linter.lint(index, NOW);
  const relint: number[] = [];
  const at = text.indexOf('prefix: /api', text.length >> 1) + 'prefix: /ap'.length;
  for (let i = 0; i < 60; i++) {
    const edited = text.slice(0, at) + String.fromCharCode(97 + (i % 26)) + text.slice(at + 1);
    const t0 = performance.now();
    index.setYamlFile('big.yaml', edited);
    linter.lint(index, NOW);
    relint.push(performance.now() - t0);
  }

  // (3) workspace scan: 1,000 YAML + 400 PEM files on disk
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  // 44 trees × 9 PEM files (CA, intermediate, chain, server and client certificates and keys) + 4 CSRs = 400 PEM files.
  const hosts = Array.from({ length: 44 }, (_, i) => `host${i}.example.com`);
  const tree = await generatePki({ hosts, profile: 'ecdsa', sharedCa: false, now: new Date(NOW.getTime() - 86_400_000) });
  const plain = tree.files.filter((f) => !f.path.includes('/csr/'));
  const csrs = tree.files.filter((f) => f.path.includes('/csr/'));
  const chosen = [...plain, ...csrs.slice(0, Math.max(0, 400 - plain.length))];
  for (const f of chosen) {
    mkdirSync(join(WORK, f.path, '..'), { recursive: true });
    writeFileSync(join(WORK, f.path), f.contents);
  }
  const pem = chosen.length;
  const script = hosts.map((h) => `kubectl create -n istio-system secret generic ${h.split('.')[0]}-credential --from-file=key=${h}/3_application/private/${h}.key.pem --from-file=cert=${h}/3_application/certs/${h}.cert.pem --from-file=cacert=${h}/2_intermediate/certs/ca-chain.cert.pem`);
  writeFileSync(join(WORK, 'secrets.sh'), script.join('\n') + '\n');
  for (let i = 0; i < 1000; i++) {
    const h = hosts[i % hosts.length];
    mkdirSync(join(WORK, 'yaml', `team-${i % 20}`), { recursive: true });
    writeFileSync(join(WORK, 'yaml', `team-${i % 20}`, `f${i}.yaml`), i < hosts.length ? gatewayDoc(i, [h]) : vsDoc(i % hosts.length, h, i));
  }
  const scans: number[] = [];
  let findings = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const ws = await loadWorkspace(['.'], { cwd: WORK });
    const res = new Linter({ config: ws.config, now: NOW }).lint(ws.index, NOW);
    scans.push(performance.now() - t0);
    findings = [...res.values()].reduce((n, l) => n + l.length, 0);
  }

  console.log('\nmeshtls editor-side figures (wall clock, ms, median [min–max])\n');
  console.log(`| measure | value | target |`);
  console.log(`|---|---|---|`);
  console.log(`| dist/extension.js, production build | ${(ext / 1024).toFixed(0)} KB | ≤ 1.5 MB |`);
  if (vsix !== undefined) console.log(`| meshtls.vsix | ${(vsix / 1024).toFixed(0)} KB | |`);
  console.log(`| re-lint after a 1-character edit, ${text.split('\n').length}-line file, warm | ${fmt(relint)} | ≤ 16 ms |`);
  console.log(`| scan + lint, 1,000 YAML + ${pem} PEM files, cold (${findings} findings) | ${fmt(scans)} | ≤ 2,000 ms |`);
  console.log('\nActivation is measured inside code-server by `npm test` (editor suites print it).');
}

void main();
