import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The openssl-made certificates of test/fixtures/make-certs.sh. They are generated once per test run into out/certs
 * (`npm test` wipes out/ first, so every run starts fresh); parallel test processes race to rename a finished temp
 * dir into place and the loser uses the winner's.
 */
export function certsDir(): string {
  const target = resolve('out/certs');
  if (existsSync(join(target, 'good/leaf.pem'))) return target;
  const tmp = mkdtempSync(resolve('out/certs-tmp-'));
  const r = spawnSync('bash', [resolve('test/fixtures/make-certs.sh'), tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-certs.sh failed: ${r.stderr}`);
  try {
    renameSync(tmp, target);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

/** Every file under `dir`, keyed by its '/'-separated path relative to `dir`. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p));
    }
  };
  visit(dir);
  return out;
}
