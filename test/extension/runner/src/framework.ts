// A very small describe/it runner for the in-editor suites. It runs inside the extension host, where mocha and the
// node:test runner are not available as libraries we could hand a list of tests to, and it only has to produce
// plain JSON results that the harness on the outside turns into node:test subtests.
import type { RunResults, SuiteResult, TestResult } from './results';

export type TestBody = () => void | Promise<void>;

interface TestCase {
  readonly name: string;
  readonly body: TestBody;
  readonly timeoutMs: number;
}

interface Suite {
  readonly name: string;
  /** The fixture workspace (folder name) the suite needs; the runner in any other window skips it. */
  readonly workspace: string;
  readonly tests: TestCase[];
  readonly before: TestBody[];
  readonly after: TestBody[];
}

/** Default per-test (and per-hook) time limit; waits inside a test use their own, shorter timeouts. */
const DEFAULT_TIMEOUT_MS = 30_000;

// Suites register themselves at import time, like mocha's BDD interface; the registry lives for one extension host.
const suites: Suite[] = [];
let collecting: Suite | undefined;

/** The workspace a suite runs in unless it names another: the broken FooCorp fixture. */
export const DEFAULT_WORKSPACE = 'foocorp-broken';

export interface SuiteOptions {
  /** Folder name of the fixture workspace under test/extension/workspaces or built by the harness (see README). */
  readonly workspace?: string;
}

export function describe(name: string, optionsOrBody: SuiteOptions | (() => void), maybeBody?: () => void): void {
  const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody;
  const options = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
  if (!body) throw new Error(`describe("${name}") has no body.`);
  if (collecting) throw new Error(`describe("${name}") cannot be nested inside describe("${collecting.name}").`);
  const suite: Suite = { name, workspace: options.workspace ?? DEFAULT_WORKSPACE, tests: [], before: [], after: [] };
  collecting = suite;
  try {
    body();
  } finally {
    collecting = undefined;
  }
  suites.push(suite);
}

function current(what: string): Suite {
  if (!collecting) throw new Error(`${what} must be called inside describe().`);
  return collecting;
}

export function it(name: string, body: TestBody, options: { timeoutMs?: number } = {}): void {
  current(`it("${name}")`).tests.push({ name, body, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
}

/** Runs once before the suite's first test; if it fails, every test of the suite is reported failed with its error. */
export function before(body: TestBody): void {
  current('before()').before.push(body);
}

/** Runs once after the suite's last test, even when tests failed; its failure is reported as a test of its own. */
export function after(body: TestBody): void {
  current('after()').after.push(body);
}

async function withTimeout(body: TestBody, timeoutMs: number, label: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(body), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function errorOf(e: unknown): TestResult['error'] {
  if (e instanceof Error) {
    const withDiff = e as Error & { actual?: unknown; expected?: unknown };
    return {
      message: e.message,
      stack: e.stack,
      ...('actual' in withDiff ? { actual: safeJson(withDiff.actual), expected: safeJson(withDiff.expected) } : {}),
    };
  }
  return { message: String(e) };
}

function safeJson(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null');
  } catch {
    return String(value);
  }
}

async function timed(name: string, body: TestBody, timeoutMs: number): Promise<TestResult> {
  const started = Date.now();
  try {
    await withTimeout(body, timeoutMs, `"${name}"`);
    return { name, ok: true, durationMs: Date.now() - started };
  } catch (e) {
    return { name, ok: false, durationMs: Date.now() - started, error: errorOf(e) };
  }
}

/**
 * Runs every registered suite of `workspace` in registration order, tests in declaration order, and never throws.
 */
export async function runAll(options: { log: (line: string) => void; environment: RunResults['environment']; workspace: string }): Promise<RunResults> {
  const started = Date.now();
  const results: SuiteResult[] = [];
  for (const suite of suites.filter((s) => s.workspace === options.workspace)) {
    const tests: TestResult[] = [];
    let setupError: TestResult['error'];
    for (const hook of suite.before) {
      const r = await timed('before', hook, DEFAULT_TIMEOUT_MS);
      if (!r.ok) {
        setupError = r.error;
        break;
      }
    }
    for (const test of suite.tests) {
      const r = setupError ? { name: test.name, ok: false, durationMs: 0, error: setupError } : await timed(test.name, test.body, test.timeoutMs);
      options.log(`${r.ok ? 'ok  ' : 'FAIL'} ${suite.name} › ${test.name}${r.error ? `: ${r.error.message}` : ''}`);
      tests.push(r);
    }
    for (const hook of suite.after) {
      const r = await timed('after', hook, DEFAULT_TIMEOUT_MS);
      if (!r.ok) tests.push({ ...r, name: 'after hook' });
    }
    results.push({ name: suite.name, workspace: suite.workspace, tests });
  }
  return {
    ok: results.every((s) => s.tests.length > 0 && s.tests.every((t) => t.ok)),
    durationMs: Date.now() - started,
    workspace: options.workspace,
    environment: options.environment,
    suites: results,
  };
}
