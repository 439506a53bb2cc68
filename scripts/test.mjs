// The single test entry point (`npm test`): type-check, build, then every node:test suite in one runner, so the
// closing summary counts everything. Suites that need the editor or outside tools are node:test files too.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function step(label, cmd, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`✖ ${label} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

function testFiles(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p));
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const only = process.argv.slice(2);
step('type-check', 'npx', ['tsc', '--noEmit', '-p', '.']);
step('build', process.execPath, ['esbuild.mjs']);
step('transpile tests', process.execPath, ['esbuild.mjs', '--tests']);
let files = testFiles(join('out', 'test'));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
step(`node:test (${files.length} files)`, process.execPath, ['--test', '--test-concurrency=2', ...files]);
