import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync, chmodSync, rmdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TreeFile {
  /** '/'-separated, relative to the output folder. */
  path: string;
  contents: string | Uint8Array;
  mode: number;
}

export class TreeConflictError extends Error {
  constructor(readonly existing: string[]) {
    super(`${existing.length} file${existing.length === 1 ? '' : 's'} already exist${existing.length === 1 ? 's' : ''}: ${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', …' : ''}`);
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Planned paths that already exist under `outDir`; checked before any slow work so a refusal costs nothing. */
export function existingPaths(outDir: string, paths: readonly string[]): string[] {
  return paths.filter((p) => exists(join(outDir, p)));
}

/** One rename into place, with what it takes to undo it: `placed` once the new entry is there. */
type Move = { to: string; placed: boolean; backup?: string; createdDirs: string[] };

/**
 * Writes a tree so that readers never see half of it: every file goes into a temp folder next to the target (same
 * file system, so renames are atomic), then each top-level entry is renamed into place — a whole folder when the
 * target has none yet, file by file otherwise. Any failure undoes the renames already made, restoring overwritten
 * files from their backups, and removes the temp folder.
 */
export function writeTreeAtomically(input: {
  outDir: string;
  files: readonly TreeFile[];
  force: boolean;
  /** Hold Ctrl-C / SIGTERM until the write is done (default); a host process that owns its signals passes false. */
  holdSignals?: boolean;
}): void {
  const { outDir, files, force } = input;
  if (!force) {
    const existing = existingPaths(outDir, files.map((f) => f.path));
    if (existing.length) throw new TreeConflictError(existing);
  }
  // The output folder itself counts as part of the tree: created here, removed again on failure if still empty.
  const createdOut: string[] = [];
  mkdirs(outDir, createdOut);
  const tmp = mkdtempSync(join(outDir, '.meshtls-tmp-'));
  const release = input.holdSignals === false ? () => undefined : deferSignals();
  const moves: Move[] = [];
  try {
    for (const f of files) {
      const p = join(tmp, 'new', f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.contents, { mode: f.mode });
      // The umask may have narrowed the mode; private keys must be exactly 0600 and the rest readable.
      chmodSync(p, f.mode);
    }
    const tops = [...new Set(files.map((f) => f.path.split('/')[0]))];
    for (const top of tops) {
      const target = join(outDir, top);
      if (!exists(target)) {
        const move: Move = { to: target, placed: false, createdDirs: [] };
        moves.push(move);
        renameSync(join(tmp, 'new', top), target);
        move.placed = true;
        continue;
      }
      for (const f of files.filter((x) => x.path.split('/')[0] === top)) {
        const to = join(outDir, f.path);
        const move: Move = { to, placed: false, createdDirs: [] };
        moves.push(move);
        mkdirs(dirname(to), move.createdDirs);
        if (exists(to)) {
          const backup = join(tmp, 'old', f.path);
          mkdirSync(dirname(backup), { recursive: true });
          renameSync(to, backup);
          move.backup = backup;
        }
        renameSync(join(tmp, 'new', f.path), to);
        move.placed = true;
      }
    }
  } catch (err) {
    // Backups live in the temp folder, so restore them before it goes, and the output folder after.
    undo(moves);
    rmSync(tmp, { recursive: true, force: true });
    undo([{ to: outDir, placed: false, createdDirs: createdOut }]);
    throw err;
  } finally {
    removeTemp(tmp);
    release();
  }
}

/**
 * A successful write usually leaves only the emptied `new` folder behind: two rmdir calls instead of a recursive
 * removal, which loads and runs Node's rimraf (about a tenth of a short `meshtls pki` run). Anything else left
 * (backups of overwritten files, folders emptied file by file) takes the recursive path.
 */
function removeTemp(tmp: string): void {
  try {
    rmdirSync(join(tmp, 'new'));
    rmdirSync(tmp);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** mkdir -p that records each folder it created (as it goes), so an undo can remove exactly those. */
function mkdirs(dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    mkdirSync(d);
    created.push(d);
  }
}

function undo(moves: Move[]): void {
  for (const m of moves.reverse()) {
    try {
      if (m.placed) rmSync(m.to, { recursive: true, force: true });
      if (m.backup) renameSync(m.backup, m.to);
      for (const d of [...m.createdDirs].reverse()) if (readdirSync(d).length === 0) rmdirSync(d);
    } catch {
      // Best effort: the error that started the undo is the one worth reporting.
    }
  }
}

/**
 * The write above is synchronous, so with a listener installed a Ctrl-C or kill cannot cut it short: Node queues the
 * signal until the write has finished (or been undone). Without a listener the default action would end the
 * process mid-write, leaving the temp folder and part of the tree. The queued signal is then honoured with the
 * conventional exit status; listeners stay until the next turn of the event loop so it can be delivered.
 */
function deferSignals(): () => void {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  const handlers = (Object.keys(codes) as (keyof typeof codes)[]).map((sig) => {
    const h = () => process.exit(codes[sig]);
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () =>
    setImmediate(() => {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
    });
}
