import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The `shared/` folder that CI keeps beside the clone (Istio's test data, Kiali's scenarios, the real-world corpus,
 * the vendored CRDs). It is looked up beside the repository and then beside each ancestor, because a git worktree
 * sits one level deeper. `MESHTLS_SHARED` overrides the search. The data stays there; tests read it in place.
 */
export function sharedDir(): string | undefined {
  if (process.env.MESHTLS_SHARED) return existsSync(process.env.MESHTLS_SHARED) ? resolve(process.env.MESHTLS_SHARED) : undefined;
  let dir = resolve(__dirname_of_repo());
  for (;;) {
    const candidate = join(dirname(dir), 'shared');
    if (existsSync(join(candidate, 'reference'))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A path inside `shared/`, or a reason to skip (or, under CI, to fail: CI must never pass what it could not read). */
export function sharedPath(...parts: string[]): { path: string } | { skip: string } {
  const root = sharedDir();
  const p = root ? join(root, ...parts) : undefined;
  if (p && existsSync(p)) return { path: p };
  const why = `shared/${parts.join('/')} not found beside the repository (set MESHTLS_SHARED)`;
  if (process.env.CI) throw new Error(why);
  return { skip: why };
}

/** The repository root: tests run from out/test/…, sources from test/…; both sit under the root's package.json. */
function __dirname_of_repo(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
