// Runs the built CLI in a child process, as CI and users do, with colour off so outputs compare as plain text.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const CLI = resolve('dist/cli.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
  signal: NodeJS.Signals | null;
}

export function runCli(args: string[], cwd: string, opts: { timeout?: number; input?: string | Buffer } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}
