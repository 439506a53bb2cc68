import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync, chmodSync, rmdirSync, readdirSync, readFileSync, openSync, closeSync, writeSync, unlinkSync, fsyncSync } from 'node:fs';
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

/** Another process is writing a tree into the same folder right now. */
export class TreeLockedError extends Error {
  constructor(readonly pid: number, readonly lockFile: string) {
    super(`another meshtls pki (process ${pid}) is writing into this folder; wait for it, or remove ${lockFile} if that process is gone`);
  }
}

export const LOCK_FILE = '.meshtls-pki.lock';
const TMP_PREFIX = '.meshtls-tmp-';
const JOURNAL = 'journal.json';

/** One planned rename of the swap, as the journal records it (paths relative to the temp folder and outDir). */
interface JournalEntry {
  /** Where the new file or folder goes, relative to outDir. */
  to: string;
  /** Where it waits in the temp folder until then. */
  from: string;
  /** Where what was at `to` is moved first, when something was there. */
  backup?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on `outDir` for the length of a write: a file created with O_EXCL holding our pid. A lock left by
 * a process that no longer runs (killed mid-write) is taken over; the caller then repairs what that process left.
 */
export function lockTree(outDir: string): () => void {
  const file = join(outDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw err;
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      } catch {
        // Gone between open and read: try again.
      }
      // A lock without a pid yet is one being written this instant: treat it as held.
      if (!Number.isFinite(pid) || (pid !== process.pid && alive(pid))) throw new TreeLockedError(Number.isFinite(pid) ? pid : 0, file);
      rmSync(file, { force: true });
    }
  }
}

/**
 * Puts back what an interrupted write left (the process was killed — SIGKILL, power loss — in the middle of the swap):
 * for every temp folder with a journal, each planned rename is undone in reverse order, restoring the old files from
 * their backups; temp folders without a journal never started the swap and are simply removed. Call it holding the
 * lock. Returns how many files or folders were put back.
 */
export function recoverInterruptedWrites(outDir: string): number {
  let restored = 0;
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return 0;
  }
  for (const name of names.filter((n) => n.startsWith(TMP_PREFIX)).sort()) {
    const tmp = join(outDir, name);
    let journal: JournalEntry[] | undefined;
    try {
      journal = JSON.parse(readFileSync(join(tmp, JOURNAL), 'utf8')) as JournalEntry[];
    } catch {
      journal = undefined;
    }
    for (const e of [...(journal ?? [])].reverse()) {
      const to = join(outDir, e.to);
      // The new entry has left the temp folder only if its rename happened: then what is at `to` is new, and goes.
      const placed = !exists(join(tmp, e.from));
      if (placed) rmSync(to, { recursive: true, force: true });
      if (e.backup && exists(join(tmp, e.backup))) {
        mkdirSync(dirname(to), { recursive: true });
        renameSync(join(tmp, e.backup), to);
        restored++;
      } else if (placed) restored++;
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return restored;
}

/** Takes the lock (over from a dead holder), recovers what an interrupted write left, and releases the lock. */
export function repairInterruptedWrite(outDir: string): number {
  const unlock = lockTree(outDir);
  try {
    return recoverInterruptedWrites(outDir);
  } finally {
    unlock();
  }
}

/** Writes the journal so that it is either wholly there or not at all (write, flush, rename). */
function writeJournal(tmp: string, entries: JournalEntry[]): void {
  const part = join(tmp, `${JOURNAL}.part`);
  const fd = openSync(part, 'w', 0o600);
  writeSync(fd, JSON.stringify(entries));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(part, join(tmp, JOURNAL));
}

/**
 * Writes a tree so that readers never see half of it: every file goes into a temp folder next to the target (same
 * file system, so renames are atomic), then each top-level entry is renamed into place — a whole folder when the
 * target has none yet, file by file otherwise. Any failure undoes the renames already made, restoring overwritten
 * files from their backups, and removes the temp folder. The renames are planned in a journal first, so when the
 * process is killed in the middle of them the next write (or `recoverInterruptedWrites`) puts the old tree back;
 * and an exclusive lock keeps two writers out of one folder.
 */
export function writeTreeAtomically(input: {
  outDir: string;
  files: readonly TreeFile[];
  force: boolean;
  /** Hold Ctrl-C / SIGTERM until the write is done (default); a host process that owns its signals passes false. */
  holdSignals?: boolean;
}): void {
  const { outDir, files, force } = input;
  // The output folder itself counts as part of the tree: created here, removed again on failure if still empty.
  const createdOut: string[] = [];
  mkdirs(outDir, createdOut);
  let unlock: () => void;
  try {
    unlock = lockTree(outDir);
  } catch (err) {
    undo([{ to: outDir, placed: false, createdDirs: createdOut }]);
    throw err;
  }
  let tmp: string | undefined;
  const release = input.holdSignals === false ? () => undefined : deferSignals();
  const moves: Move[] = [];
  try {
    recoverInterruptedWrites(outDir);
    if (!force) {
      // Checked again under the lock: a concurrent run may have written since the caller's early check.
      const existing = existingPaths(outDir, files.map((f) => f.path));
      if (existing.length) throw new TreeConflictError(existing);
    }
    tmp = mkdtempSync(join(outDir, TMP_PREFIX));
    for (const f of files) {
      const p = join(tmp, 'new', f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.contents, { mode: f.mode });
      // The umask may have narrowed the mode; private keys must be exactly 0600 and the rest readable.
      chmodSync(p, f.mode);
    }
    // Plan every rename before making one, and record the plan: it is what recovery reads.
    const plan: JournalEntry[] = [];
    const tops = [...new Set(files.map((f) => f.path.split('/')[0]))];
    for (const top of tops) {
      if (!exists(join(outDir, top))) {
        plan.push({ to: top, from: join('new', top) });
        continue;
      }
      for (const f of files.filter((x) => x.path.split('/')[0] === top)) {
        plan.push({ to: f.path, from: join('new', f.path), ...(exists(join(outDir, f.path)) ? { backup: join('old', f.path) } : {}) });
      }
    }
    writeJournal(tmp, plan);
    for (const e of plan) {
      const to = join(outDir, e.to);
      const move: Move = { to, placed: false, createdDirs: [] };
      moves.push(move);
      mkdirs(dirname(to), move.createdDirs);
      if (e.backup) {
        const backup = join(tmp, e.backup);
        mkdirSync(dirname(backup), { recursive: true });
        renameSync(to, backup);
        move.backup = backup;
      }
      renameSync(join(tmp, e.from), to);
      move.placed = true;
    }
    // The commit point: without a journal, recovery treats the temp folder as leftovers, not a swap to undo.
    unlinkSync(join(tmp, JOURNAL));
  } catch (err) {
    // Backups live in the temp folder, so restore them before it goes, and the output folder after.
    undo(moves);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    unlock();
    undo([{ to: outDir, placed: false, createdDirs: createdOut }]);
    throw err;
  } finally {
    if (tmp) removeTemp(tmp);
    release();
  }
  unlock();
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
