// Entry points of the test-runner extension. The bundle (built by test/extension/runner/build.mjs) also imports every
// test/extension/suite/*.ts, which register their suites with the framework before either entry point runs.
//  - code-server: installed next to meshtls as an ordinary extension; activate() runs the suites when the harness set
//    MESHTLS_TEST_RESULTS, and does nothing otherwise.
//  - @vscode/test-electron: the same bundle is the extensionTestsPath; VS Code calls run() and fails on a throw.
import * as vscode from 'vscode';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { runAll } from './framework';
import { MESHTLS_ID } from './editor';
import { RESULTS_ENV, resultsFileFor, type RunResults } from './results';

function log(line: string): void {
  // The extension host's console ends up in its log, next to meshtls's own output channel.
  console.log(`[meshtls-tests] ${line}`);
}

function environment(): RunResults['environment'] {
  const meshtls = vscode.extensions.getExtension(MESHTLS_ID);
  return {
    appName: vscode.env.appName,
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    meshtlsVersion: (meshtls?.packageJSON as { version?: string } | undefined)?.version,
  };
}

/** The folder name of the window's workspace: which fixture the harness opened, and so which suites run here. */
function workspaceName(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? basename(folder.uri.fsPath) : '(no folder)';
}

async function runSuites(): Promise<RunResults> {
  const workspace = workspaceName();
  const meshtls = vscode.extensions.getExtension<{ ready: Promise<void>; activationMillis: number }>(MESHTLS_ID);
  const failed = (fatal: string): RunResults => ({ ok: false, durationMs: 0, workspace, environment: environment(), suites: [], fatal });
  if (!meshtls) return failed(`Extension ${MESHTLS_ID} is not installed in this editor.`);
  let api: { ready: Promise<void>; activationMillis: number };
  try {
    api = await meshtls.activate();
    // The startup scan publishes the workspace's diagnostics; suites start from that state.
    await api.ready;
  } catch (e) {
    return failed(`Extension ${MESHTLS_ID} failed to activate: ${(e as Error).stack ?? e}`);
  }
  log(`meshtls activated in ${api.activationMillis.toFixed(1)} ms (workspace ${workspace})`);
  return { ...(await runAll({ log, environment: environment(), workspace })), activationMillis: api.activationMillis };
}

function write(file: string, results: RunResults): void {
  // Written under a temporary name and renamed, so the harness never reads half a file.
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.partial`, JSON.stringify(results, null, 2));
  renameSync(`${file}.partial`, file);
}

export function activate(): void {
  const base = process.env[RESULTS_ENV];
  if (!base) return;
  const file = resultsFileFor(base, workspaceName());
  // The harness reloads the window for its UI scenarios, which starts a new extension host; run only once.
  if (existsSync(file)) return;
  log(`running the in-editor suites; results go to ${file}`);
  // Not awaited: activation must return promptly, and the suites need the workbench to keep going meanwhile.
  void runSuites().then(
    (results) => write(file, results),
    (e) => write(file, { ok: false, durationMs: 0, workspace: workspaceName(), environment: environment(), suites: [], fatal: String((e as Error)?.stack ?? e) }),
  );
}

export function deactivate(): void {}

/** The @vscode/test-electron entry point. */
export async function run(): Promise<void> {
  const results = await runSuites();
  const file = process.env[RESULTS_ENV];
  if (file) write(file, results);
  if (!results.ok) {
    const failed = results.suites.flatMap((s) => s.tests.filter((t) => !t.ok).map((t) => `${s.name} › ${t.name}: ${t.error?.message}`));
    throw new Error(results.fatal ?? `In-editor tests failed:\n${failed.join('\n')}`);
  }
}
