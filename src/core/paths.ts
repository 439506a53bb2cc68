/**
 * File ids are '/'-separated paths (relative to the CLI's working directory, or absolute in the extension).
 * The core resolves paths between files (a kubectl line's --from-file, a .meshtls.yaml credential) with these
 * POSIX helpers, so it never needs node:path or the file system.
 */
export function dirname(id: string): string {
  const i = id.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : id.slice(0, i);
}

export function basename(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Paths with an empty, `.` or `..` segment, or a trailing slash: the ones normalize has to rewrite. */
const NOT_NORMAL = /(^|\/)\.\.?(\/|$)|\/\/|\/$/;

export function normalize(p: string): string {
  if (p !== '' && !NOT_NORMAL.test(p)) return p;
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg !== '..' || !abs) out.push(seg);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}

/** Resolves `p` against the folder `base`; an absolute `p` wins. */
export function join(base: string, p: string): string {
  if (p.startsWith('/')) return normalize(p);
  return normalize(base === '.' ? p : `${base}/${p}`);
}
