// Lints every repository of the real-world corpus (shared/reference/realworld/corpus) as its own workspace, the way a
// new user would, and prints errors and warnings by rule, per workspace and in total. istio.io is linted one task page
// at a time (each page folder that holds a `snips/` folder), as its SOURCES.md explains.
//
//   node scripts/realworld-report.mjs [--cli dist/cli.js] [--corpus DIR] [--list]
//
// `--list` prints every error and warning (path:line rule message) instead of the counts only. The reviewed list of
// expected findings lives in test/core/realworld.test.ts, which fails when a finding outside it appears.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const cli = resolve(opt('--cli', join(here, '..', 'dist', 'cli.js')));
const corpus = resolve(opt('--corpus', findCorpus()));
const list = args.includes('--list');

function findCorpus() {
  for (let dir = resolve(here, '..'); ; dir = dirname(dir)) {
    const c = join(dirname(dir), 'shared', 'reference', 'realworld', 'corpus');
    if (existsSync(c)) return c;
    if (dirname(dir) === dir) throw new Error('shared/reference/realworld/corpus not found; pass --corpus DIR');
  }
}

/** The workspaces: one per repository, istio.io split into its task pages. */
export function workspaces(root) {
  const out = [];
  for (const repo of readdirSync(root).sort()) {
    if (repo !== 'istio__istio.io') {
      out.push(repo);
      continue;
    }
    const pages = [];
    const visit = (dir) => {
      for (const name of readdirSync(join(root, dir)).sort()) {
        const p = join(dir, name);
        if (!statSync(join(root, p)).isDirectory()) continue;
        if (name === 'snips') pages.push(dir);
        else visit(p);
      }
    };
    visit(repo);
    out.push(...pages);
  }
  return out;
}

const total = {};
for (const ws of workspaces(corpus)) {
  let text;
  try {
    text = execFileSync(process.execPath, [cli, 'lint', ws, '--format', 'json'], { cwd: corpus, maxBuffer: 1 << 28 }).toString();
  } catch (e) {
    text = e.stdout.toString();
  }
  const { diagnostics } = JSON.parse(text);
  const counts = {};
  for (const d of diagnostics) {
    if (d.severity !== 'error' && d.severity !== 'warning') continue;
    counts[d.rule] = (counts[d.rule] ?? 0) + 1;
    total[d.rule] = (total[d.rule] ?? 0) + 1;
    if (list) console.log(`${relative(corpus, resolve(corpus, d.file))}:${d.line}  ${d.severity}  ${d.rule}  ${d.message}`);
  }
  if (!list) console.log(`${ws}  ${JSON.stringify(counts)}`);
}
const sum = Object.values(total).reduce((a, b) => a + b, 0);
console.log(`TOTAL ${sum} ${JSON.stringify(total)}`);
