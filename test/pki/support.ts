import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/cli.js');

export function meshtls(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `meshtls-${label}-`));
}

/** Runs an outside tool; the caller asserts on status and output. */
export function tool(cmd: string, args: string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', cwd: options.cwd, input: options.input });
}

export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** In CI every outside judge must be present; locally a missing one skips its test with the reason. */
export function requireTool(cmd: string): string | false {
  if (hasTool(cmd)) return false;
  if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI (see .ci/run)`);
  return `${cmd} is not installed`;
}
