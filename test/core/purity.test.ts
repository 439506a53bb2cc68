import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('src/core imports neither vscode nor the file system', () => {
  const offenders = files('src/core').filter((f) =>
    /from ['"](vscode|node:fs|fs|fs\/promises|node:fs\/promises|node:child_process|child_process)['"]|require\(['"](vscode|fs|node:fs)['"]\)/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders, []);
});
