// The JSON the runner writes to $MESHTLS_TEST_RESULTS; test/extension/harness.mjs and editor.test.ts read it.

export interface TestResult {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: { message: string; stack?: string; actual?: unknown; expected?: unknown };
}

export interface SuiteResult {
  readonly name: string;
  readonly workspace: string;
  readonly tests: readonly TestResult[];
}

export interface RunResults {
  /** True when every suite ran at least one test and all passed. */
  readonly ok: boolean;
  readonly durationMs: number;
  /** Folder name of the workspace these suites ran in. */
  readonly workspace: string;
  /** Time meshtls spent in activate() in this window (its exports' activationMillis). */
  readonly activationMillis?: number;
  readonly environment: {
    readonly appName: string;
    readonly vscodeVersion: string;
    readonly nodeVersion: string;
    readonly meshtlsVersion: string | undefined;
  };
  readonly suites: readonly SuiteResult[];
  /** Set when the runner itself failed before or around the suites (e.g. meshtls did not activate). */
  readonly fatal?: string;
}

/**
 * Environment variable naming the results file; the runner stays idle when it is not set. In code-server, where the
 * harness opens one window per fixture workspace, each window writes `<file minus .json>.<workspace>.json`
 * (resultsFileFor); under @vscode/test-electron run() writes the file itself.
 */
export const RESULTS_ENV = 'MESHTLS_TEST_RESULTS';

export function resultsFileFor(file: string, workspace: string): string {
  return `${file.replace(/\.json$/, '')}.${workspace}.json`;
}
/** Environment variable naming the repository root, for suites that open files outside the fixture workspace. */
export const REPO_ENV = 'MESHTLS_TEST_REPO';
