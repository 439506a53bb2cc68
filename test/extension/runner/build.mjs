// Bundles the test-runner extension with every suite in test/extension/suite/*.ts, and packages it as a .vsix.
// `node test/extension/runner/build.mjs [--package OUT.vsix]`; harness.mjs and run-electron.mjs import buildRunner().
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER = dirname(fileURLToPath(import.meta.url));
const SUITES = resolve(RUNNER, '..', 'suite');
const REPO = resolve(RUNNER, '..', '..', '..');

/** Every suite file, sorted so suites run in a stable order. Adding a suite is adding a file. */
export function suiteFiles() {
  return readdirSync(SUITES)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(SUITES, f));
}

/** Builds dist/runner.js; with `vsix`, also packages the extension there. Returns the paths it produced. */
export async function buildRunner({ vsix } = {}) {
  const suites = suiteFiles();
  if (suites.length === 0) throw new Error(`No suites in ${SUITES}.`);
  // The entry re-exports the runner's entry points and imports each suite for its describe() side effects.
  const entry = [
    `export { activate, deactivate, run } from './src/runner';`,
    ...suites.map((f) => `import ${JSON.stringify('./' + relative(RUNNER, f).split('\\').join('/'))};`),
  ].join('\n');
  const bundle = join(RUNNER, 'dist', 'runner.js');
  await build({
    stdin: { contents: entry, resolveDir: RUNNER, sourcefile: 'runner-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: bundle,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  if (vsix) {
    const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
      cwd: RUNNER,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`vsce package of the test runner failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { bundle, vsix, suites };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--package');
  const out = await buildRunner({ vsix: i > 0 ? resolve(process.argv[i + 1]) : undefined });
  console.log(`runner: ${out.bundle} (${out.suites.length} suites)${out.vsix ? `, ${out.vsix}` : ''}`);
}
