// Gitignore-style globs over '/'-separated relative paths, shared by the walker (ignore) and the unit model (units).

/** Converts a gitignore-style glob to a RegExp over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim();
  const anchored = g.startsWith('/') || g.slice(0, -1).includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '/**');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += g[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(^|/)'}${re}(/.*)?$`);
}
