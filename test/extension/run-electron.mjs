// `npm run test:electron`: the same in-editor API suites as the code-server harness, run by @vscode/test-electron in a
// downloaded VS Code, for machines that can download it. Where the download fails (no internet, as on our CI, which
// uses the code-server harness in `npm test` instead) it says so and exits 0 — the only in-editor run allowed to skip.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildRunner } from './runner/build.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Outside the clone by default, so every checkout of this machine (and CI) shares one code-server build.
const CACHE = process.env.MESHTLS_EDITOR_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'meshtls-editor-test');
const version = process.env.MESHTLS_VSCODE_VERSION ?? 'stable';

let vscodeExecutablePath;
try {
  // An idle timeout: the download fails fast offline instead of hanging on a dead connection.
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(CACHE, 'electron'), timeout: 15_000 });
} catch (e) {
  console.log(`test:electron SKIPPED: could not download VS Code (${version}) for @vscode/test-electron: ${e?.message ?? e}`);
  console.log('The same in-editor suites run in code-server through `npm test` (test/extension/harness.mjs).');
  process.exit(0);
}

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const { bundle } = await buildRunner();

mkdirSync(CACHE, { recursive: true });
const runDir = mkdtempSync(join(CACHE, 'electron-run-'));
const workspace = join(runDir, 'foocorp-broken');
cpSync(join(REPO, 'test', 'extension', 'workspaces', 'foocorp-broken'), workspace, { recursive: true });
const resultsFile = join(runDir, 'api-results.json');

let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: bundle,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', join(runDir, 'user-data')],
    extensionTestsEnv: { MESHTLS_TEST_RESULTS: resultsFile, MESHTLS_TEST_REPO: REPO },
  });
} catch (e) {
  console.error(`test:electron FAILED: ${e?.message ?? e}`);
}
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  for (const s of results.suites) for (const t of s.tests) console.log(`${t.ok ? 'ok  ' : 'FAIL'} ${s.name} › ${t.name}${t.ok ? '' : `: ${t.error?.message}`}`);
  if (results.fatal) console.log(`FAIL runner: ${results.fatal}`);
  if (!results.ok) code ||= 1;
} else {
  console.error('test:electron FAILED: the in-editor suites wrote no results.');
  code ||= 1;
}
if (code === 0) rmSync(runDir, { recursive: true, force: true });
process.exit(code);
