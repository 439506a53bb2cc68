// Inputs built to hang meshtls or exhaust its memory. Each must finish with bounded memory; the bounds are generous
// (a loaded CI machine), the timings live in bench/ (cross-stress, lint). Run through /usr/bin/time for the peak RSS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostileInputs } from '../../bench/hostile-inputs';

const CLI = resolve('dist/cli.js');
/** Bounds far above what each case needs (under 0.5 GB and a few CPU seconds on a quiet machine). */
const MAX_RSS_MB = 500;
const MAX_CPU_S = 60;
const skip = existsSync('/usr/bin/time') ? false : 'needs /usr/bin/time for the peak memory';

function measured(args: string[], cwd: string) {
  const stats = join(cwd, '.time');
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%U %S %M', process.execPath, CLI, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000, maxBuffer: 512 * 1024 * 1024,
  });
  const [user, sys, kb] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { code: r.status, out: r.stdout, err: r.stderr, cpu: user + sys, rssMb: kb / 1024 };
}

for (const c of hostileInputs()) {
  const maxRss = c.maxRssMb ?? MAX_RSS_MB;
  test(`${c.name}: finishes within ${maxRss} MB`, { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), `meshtls-scale-`));
    for (const [name, text] of c.files()) writeFileSync(join(dir, name), text);
    const r = measured(['lint', '--format', 'json', '.'], dir);
    // The text form too, where the column width was a Math.max over every finding.
    if (c.maxRssMb) assert.match(measured(['lint', '.'], dir).out, /problems/);
    assert.ok(r.rssMb < maxRss, `${r.rssMb.toFixed(0)} MB`);
    assert.ok(r.cpu < MAX_CPU_S, `${r.cpu.toFixed(1)} s CPU`);
    assert.equal(r.err.replace(/^meshtls lint: .*\n/gm, ''), '');
    const json = JSON.parse(r.out);
    assert.deepEqual(json.diagnostics.filter((d: { rule: string }) => d.rule === 'internal-error'), []);
    c.check(json);
  });
}
