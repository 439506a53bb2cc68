// Every hostile input of issue 14 through the real CLI, one process each, with its CPU time and peak memory from
// /usr/bin/time: the target is under 5 s and 500 MB each. test/cli/hostile-scale.test.ts bounds the same inputs
// generously; this prints the figures. Pass another build's cli.js to compare (e.g. main's) and case-name filters.
// Run: node esbuild.mjs && node esbuild.mjs --tests && node out/bench/hostile.js [--cli PATH] [name filter...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostileInputs, many, gateway } from './hostile-inputs';
import { longChainWorkspace, manySansWorkspace } from '../test/support/big-chain';

const argv = process.argv.slice(2);
const cliAt = argv.indexOf('--cli');
const CLI = resolve(cliAt >= 0 ? argv.splice(cliAt, 2)[1] : 'dist/cli.js');
const filters = argv;

interface Case {
  name: string;
  files(): Promise<[string, string][]> | [string, string][];
  args?: string[];
  /** Files copied in before `files` (an example workspace). */
  base?: string;
}

const cases: Case[] = [
  ...hostileInputs().map((c): Case => ({ name: c.name, files: c.files })),
  { name: 'a CA bundle that is a 6,000-certificate chain', files: () => longChainWorkspace({ n: 6_000, bundle: 'chain' }) },
  { name: 'a served 6,000-certificate chain', files: () => longChainWorkspace({ n: 6_000, bundle: 'root' }) },
  { name: '20,000 SANs x 1,500 uncovered hosts', files: () => manySansWorkspace({ sans: 20_000, hosts: 1_500 }) },
  {
    name: 'inspect gateway.yaml beside 90 MB of YAML',
    base: 'examples/foocorp',
    args: ['inspect', 'gateway.yaml'],
    files: () => {
      const text = many(12_000, (i) => gateway(i));
      return Array.from({ length: 20 }, (_, f): [string, string] => [`big/g${f}.yaml`, text]);
    },
  },
];

async function main() {
  console.log(`cli: ${CLI}`);
  const width = Math.max(...cases.map((c) => c.name.length)) + 1;
  console.log(`${'input'.padEnd(width)} ${'CPU s'.padStart(7)} ${'wall s'.padStart(7)} ${'peak MB'.padStart(8)}  exit  target`);
  // The target for every hostile input: under 5 s and 500 MB, judged here on CPU time (stricter than wall
  // clock on a multi-core machine, where the garbage collector's threads run beside the main one).
  const TARGET_S = 5;
  const TARGET_MB = 500;
  let met = 0;
  let measured = 0;
  for (const c of cases) {
    if (filters.length && !filters.some((f) => c.name.includes(f))) continue;
    const dir = mkdtempSync(join(tmpdir(), 'meshtls-hostile-bench-'));
    if (c.base) cpSync(resolve(c.base), dir, { recursive: true });
    for (const [name, text] of await c.files()) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const stats = join(dir, '.time');
    const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%U %S %e %M', process.execPath, CLI, ...(c.args ?? ['lint', '--format', 'json', '.'])], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'ignore'],
      timeout: 900_000,
    });
    // /usr/bin/time puts "Command exited with non-zero status N" before the figures; a killed run has none.
    const line = readFileSync(stats, 'utf8').split('\n').find((l) => /^[\d.]+ [\d.]+ [\d:.]+ \d+$/.test(l));
    if (!line) {
      console.log(`${c.name.padEnd(width)} ${'—'.padStart(7)} ${'—'.padStart(7)} ${'—'.padStart(8)}  ${r.status ?? r.signal} (no figures: killed?)  missed`);
      measured++;
      continue;
    }
    const [user, sys, wall, kb] = line.split(' ').map(Number);
    const ok = user + sys < TARGET_S && kb / 1024 < TARGET_MB;
    measured++;
    if (ok) met++;
    console.log(`${c.name.padEnd(width)} ${(user + sys).toFixed(1).padStart(7)} ${wall.toFixed(1).padStart(7)} ${(kb / 1024).toFixed(0).padStart(8)}  ${String(r.status ?? r.signal).padEnd(4)}  ${ok ? 'met' : 'missed'}`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\ntarget (under ${TARGET_S} s CPU and ${TARGET_MB} MB peak, per input): met by ${met} of ${measured} inputs`);
}

void main();
