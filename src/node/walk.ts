import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { globToRegExp } from '../core/glob';

export { globToRegExp };

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', 'dist', 'out']);

/** Extensions of non-YAML files the credential indexer reads (certificates, keys, scripts with kubectl lines). */
export const MATERIAL_FILE = /\.(pem|crt|cer|key|der|sh|bash|zsh|md|markdown|txt)$|(^|\/)(Makefile|makefile|GNUmakefile|cert|key|cacert|crl)$/;

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
}

export interface WalkOptions {
  root: string;
  ignore: string[];
}

/** Walks files and folders, skipping VCS and build folders, ignore globs, symlink loops and unreadable entries. */
export async function walk(inputs: string[], opts: WalkOptions): Promise<{ files: WalkedFile[]; skipped: SkippedFile[] }> {
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const ignores = opts.ignore.map(globToRegExp);
  const seenDirs = new Set<string>();
  const rel = (abs: string) => path.relative(opts.root, abs).split(path.sep).join('/') || path.basename(abs);
  const ignored = (abs: string) => {
    const r = rel(abs);
    return ignores.some((re) => re.test(r));
  };

  const visit = async (abs: string, explicit: boolean): Promise<void> => {
    let st;
    try {
      st = await fs.stat(abs);
    } catch (err) {
      if (explicit) skipped.push({ abs, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message });
      else skipped.push({ abs, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      return;
    }
    if (st.isDirectory()) {
      if (!explicit && (ALWAYS_SKIPPED.has(path.basename(abs)) || ignored(abs))) return;
      let real: string;
      try {
        real = await fs.realpath(abs);
      } catch {
        return;
      }
      if (seenDirs.has(real)) return; // symlink loop or a folder reached twice
      seenDirs.add(real);
      let names: string[];
      try {
        names = (await fs.readdir(abs)).sort();
      } catch (err) {
        skipped.push({ abs, reason: `unreadable folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
        return;
      }
      for (const name of names) await visit(path.join(abs, name), false);
      return;
    }
    if (!st.isFile()) return;
    if (!explicit && ignored(abs)) return;
    const id = rel(abs);
    if (/\.ya?ml$/i.test(abs)) files.push({ abs, id, kind: 'yaml' });
    else if (MATERIAL_FILE.test(id)) files.push({ abs, id, kind: 'material' });
    else if (explicit) skipped.push({ abs, reason: 'not a YAML file' });
  };

  for (const input of inputs) await visit(path.resolve(opts.root, input), true);
  return { files, skipped };
}
