import { promises as fs, constants, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { compileGlob, expandBraces } from '../core/glob';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', 'dist', 'out']);

/** Extensions of non-YAML files the credential indexer reads (certificates, keys, scripts with kubectl lines). */
export const MATERIAL_FILE = /\.(pem|crt|cer|key|der|sh|bash|zsh|md|markdown|txt)$|(^|\/)(Makefile|makefile|GNUmakefile|cert|key|cacert|crl)$/;
const YAML_FILE = /\.ya?ml$/i;

export interface WalkedFile {
  /** Absolute path. */
  abs: string;
  /** Path relative to the root, with '/' separators (the file id the core sees). */
  id: string;
  kind: 'yaml' | 'material';
}

export interface SkippedFile {
  abs: string;
  reason: string;
  /**
   * The file is one meshtls should have checked but could not read (permissions, I/O errors, too large): an error
   * that fails the run, because a gate must never pass what it did not see. Without it, a deliberate skip (a link out
   * of the workspace, a FIFO, binary content) worth a warning.
   */
  unreadable?: boolean;
}

export interface WalkOptions {
  root: string;
  ignore: string[];
  /**
   * A real path the inputs themselves must stay inside. Without it a named folder is its own fence (the CLI's
   * `lint dir`); the editor walks folders that appear inside a workspace folder, which may be links out of it.
   */
  fence?: string;
}

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/** Is `p` (a real path) `dir` or inside it? */
function inside(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/**
 * Walks files and folders, skipping VCS and build folders, ignore globs, symlink loops and unreadable entries.
 * A symbolic link found below a named folder is followed only when its real path stays inside that folder: a pull
 * request can hold `r -> /` or `ca.pem -> /proc/self/pagemap`. Only regular files and folders are visited; FIFOs,
 * sockets and devices would block or never end.
 */
export async function walk(inputs: string[], opts: WalkOptions): Promise<{ files: WalkedFile[]; skipped: SkippedFile[] }> {
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const ignores = opts.ignore.map(compileGlob);
  const seenDirs = new Set<string>();
  const rel = (abs: string) => path.relative(opts.root, abs).split(path.sep).join('/') || path.basename(abs);
  const ignored = (abs: string) => {
    const r = rel(abs);
    return ignores.some((match) => match(r));
  };
  const wanted = (abs: string) => YAML_FILE.test(abs) || MATERIAL_FILE.test(rel(abs));

  // `known` is what the folder listing said the entry is (a regular file or a folder, not a link): no lstat is needed
  // then, one round trip to the thread pool less per file (4,000 scripts). Anything else is looked at with lstat.
  // `parentReal` is the real path of the folder listing a `known` entry: a folder that is not a link is then the
  // parent's real path plus its name, with no realpath call (one per folder of 2,000 PKI trees).
  const visit = async (abs: string, explicit: boolean, fence: string | undefined, known?: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }, parentReal?: string): Promise<void> => {
    let st: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean };
    try {
      st = known ?? (await fs.lstat(abs));
      if (st.isSymbolicLink()) {
        const real = await fs.realpath(abs);
        if (fence !== undefined && !inside(fence, real)) {
          if (!ignored(abs)) skipped.push({ abs, reason: 'symbolic link to a path outside the linted folder' });
          return;
        }
        st = await fs.stat(real);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (explicit) skipped.push({ abs, reason: code === 'ENOENT' ? 'no such file or directory' : `unreadable (${errCode(err)})`, unreadable: code !== 'ENOENT' });
      else if (!ignored(abs) && wanted(abs)) skipped.push({ abs, reason: code === 'ENOENT' || code === 'ELOOP' ? 'broken symbolic link' : `unreadable (${errCode(err)})`, unreadable: code !== 'ENOENT' && code !== 'ELOOP' });
      return;
    }
    if (st.isDirectory()) {
      if (!explicit && (ALWAYS_SKIPPED.has(path.basename(abs)) || ignored(abs))) return;
      let real: string;
      try {
        real = known && parentReal !== undefined ? path.join(parentReal, path.basename(abs)) : await fs.realpath(abs);
      } catch {
        return;
      }
      if (seenDirs.has(real)) return; // symlink loop or a folder reached twice
      seenDirs.add(real);
      let entries: Dirent[];
      try {
        entries = (await fs.readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (err) {
        skipped.push({ abs, reason: `unreadable folder (${errCode(err)})`, unreadable: true });
        return;
      }
      const within = fence ?? real;
      for (const e of entries) await visit(path.join(abs, e.name), false, within, e.isFile() || e.isDirectory() ? e : undefined, real);
      return;
    }
    if (!explicit && ignored(abs)) return;
    if (!st.isFile()) {
      if (explicit || wanted(abs)) skipped.push({ abs, reason: 'not a regular file' });
      return;
    }
    const id = rel(abs);
    if (YAML_FILE.test(abs)) files.push({ abs, id, kind: 'yaml' });
    // Named on the command line, only YAML is linted: `lint notes.txt` is a mistake, not an empty success.
    else if (explicit) skipped.push({ abs, reason: 'not a YAML file' });
    else if (MATERIAL_FILE.test(id)) files.push({ abs, id, kind: 'material' });
  };

  for (const input of inputs) await visit(path.resolve(opts.root, input), true, opts.fence);
  return { files, skipped };
}

/**
 * The files the editor scans in a workspace folder (`dir` = the folder, or a folder created inside it later), by
 * walk()'s rules rather than the editor's file search, which follows symbolic links: `r -> /` in a cloned repository
 * would have it list the whole file system. Nothing is listed whose real path leaves the workspace folder, and no
 * FIFO, socket or device. `include` (VS Code glob syntax, `{a,b}` allowed) narrows the YAML files; `exclude` adds to
 * the walker's always-skipped folders.
 */
export async function listWorkspaceFiles(opts: { root: string; dir?: string; include?: string; exclude: readonly string[] }): Promise<WalkedFile[]> {
  let fence: string;
  try {
    fence = await fs.realpath(opts.root);
  } catch {
    return [];
  }
  const { files } = await walk([opts.dir ?? opts.root], { root: opts.root, ignore: opts.exclude.flatMap(expandBraces), fence });
  if (!opts.include) return files;
  const include = expandBraces(opts.include).map(compileGlob);
  return files.filter((f) => f.kind !== 'yaml' || include.some((m) => m(f.id)));
}

export type ReadResult = { bytes: Buffer } | { skipped: string; unreadable: boolean };

/**
 * Reads a file with a byte cap instead of trusting its size (files in /proc report 0 and never end), without
 * blocking on a FIFO (opened non-blocking, then refused unless the open descriptor is a regular file).
 */
export async function readCapped(abs: string, cap = MAX_FILE_BYTES): Promise<ReadResult> {
  const handle = await openRetrying(abs);
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { skipped: 'not a regular file', unreadable: false };
    const chunks: Buffer[] = [];
    let total = 0;
    // Read one byte past the cap: a file exactly at the cap is fine, one byte more is too large.
    for (;;) {
      // The stated size (plus one byte, to see the end) when there is one; 64 KB chunks when it says nothing.
      const want = st.size > total ? st.size - total + 1 : total === 0 || st.size === 0 ? 65536 : 1;
      const buf = Buffer.allocUnsafe(Math.min(want, cap + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > cap) return { skipped: `larger than ${cap / 1024 / 1024} MB`, unreadable: true };
      // A short read that ends exactly at the stated size is the end of a regular file: asking again only to be told
      // so was one more round trip to the thread pool per file (4,000 scripts). A file with no stated size (/proc)
      // is read until a read returns nothing.
      if (st.size > 0 && total === st.size && bytesRead < buf.length) break;
    }
    return { bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file that another walk found (the editor's file search, a file watcher's event) under walk()'s rules: only
 * when its real path is inside `root`'s real path (a `ca.pem -> /proc/self/pagemap` or `r -> /` committed to a
 * repository is not followed out), only a regular file, and at most `cap` bytes whatever its size claims.
 */
export async function readInside(abs: string, root: string, cap = MAX_FILE_BYTES): Promise<ReadResult> {
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([fs.realpath(abs), fs.realpath(root)]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ELOOP' ? { skipped: 'broken symbolic link or no such file', unreadable: false } : { skipped: `unreadable (${errCode(err)})`, unreadable: true };
  }
  if (!inside(realRoot, real)) return { skipped: 'symbolic link to a path outside the workspace folder', unreadable: false };
  return readCapped(real, cap);
}

/** Opens for reading; waits and retries when the process is out of file descriptors rather than skipping the file. */
async function openRetrying(abs: string): Promise<fs.FileHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'EMFILE' && code !== 'ENFILE') || attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 10 + attempt * 10));
    }
  }
}

/** Runs `work` over `items` with at most `limit` at a time (each file read holds a descriptor), keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
