import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTextChunks, summarize, type Located } from '../../src/cli/format';
import { escapeControl } from '../../src/core/display';
import { rng } from '../support/rng';

// The text report is written as UTF-8 bytes, with each file name, message and shared related list encoded once. These
// tests hold it to its layout, line by line: `file:line:column`, padded to the widest, then the severity padded to 7,
// the rule and the message, two spaces apart; each related location on a line of its own under it, after `↳`.

const ESC = '\x1b';
const text = (pieces: Uint8Array[]) => pieces.map((p) => new TextDecoder('utf-8', { fatal: true }).decode(p)).join('');
const escaped = escapeControl;

function findings(n: number, seed: number): Located[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const files = ['g.yaml', 'dir/ünïcödé.yaml', 'evil\x1b[2K.yaml', 'a\nb.yaml'];
  const messages = ['Host "a" conflicts.', 'tab\there', 'erase\x1b[1A\x1b[2K line', '✓ astral 😀', ''];
  const shared = [{ file: 'o.yaml', line: 3, column: 5, message: 'Same host on Gateway ns/g' }];
  return Array.from({ length: n }, (_, i) => {
    const f: Located = {
      file: pick(files),
      line: 1 + Math.floor(r() * 20_000),
      column: 1 + Math.floor(r() * 120),
      endLine: 1,
      endColumn: 1,
      severity: pick(['error', 'warning', 'info', 'hint'] as const),
      rule: pick(['gateway-conflict', 'credential-unresolved']),
      message: `${pick(messages)}${i % 5 === 0 ? ` ${i}` : ''}`,
    };
    const k = r();
    if (k < 0.3) f.related = shared;
    else if (k < 0.5) f.related = [{ file: pick(files), line: i, column: 2, message: pick(messages) }, { file: 'x.yaml', line: 1, column: 1, message: 'm' }];
    return f;
  });
}

for (const color of [false, true]) {
  test(`the text report ${color ? 'in color' : 'without color'}: every finding and related location on its own aligned line, control characters escaped`, () => {
    const list = findings(15_000, color ? 2 : 1);
    const pieces = [...formatTextChunks(list, summarize(list, 3), color)];
    assert.ok(pieces.length > 1, `${pieces.length} piece(s)`);
    const out = text(pieces);
    const lines = out.split('\n');
    const plainOf = (s: string) => s.replace(/\x1b\[\d+m/g, '');
    const wheres = list.map((l) => `${escaped(l.file)}:${l.line}:${l.column}`);
    const width = Math.max(...wheres.map((w) => w.length));
    let at = 0;
    list.forEach((l, i) => {
      const line = lines[at++];
      const sev = { error: '31', warning: '33', info: '36', hint: '2' }[l.severity];
      const painted = color
        ? `${ESC}[1m${wheres[i]}${ESC}[0m${' '.repeat(width - wheres[i].length)}  ${ESC}[${sev}m${l.severity.padEnd(7)}${ESC}[0m  ${ESC}[2m${l.rule}${ESC}[0m  ${escaped(l.message)}`
        : `${wheres[i]}${' '.repeat(width - wheres[i].length)}  ${l.severity.padEnd(7)}  ${l.rule}  ${escaped(l.message)}`;
      assert.equal(line, painted, `finding ${i}`);
      assert.equal(plainOf(line).indexOf(l.severity), width + 2, `finding ${i}: the severity column`);
      for (const r of l.related ?? []) {
        const where = `↳ ${escaped(r.file)}:${r.line}:${r.column}`;
        assert.equal(lines[at++], `${' '.repeat(width + 4)}${color ? `${ESC}[2m${where}${ESC}[0m` : where}  ${escaped(r.message)}`, `finding ${i}: related`);
      }
    });
    assert.equal(lines[at++], '');
    assert.match(plainOf(lines[at++]), /^✖ 15000 problems \(\d+ errors, \d+ warnings, \d+ notes\) in 3 files checked\.$/);
    assert.equal(lines.slice(at).join('\n'), '');
    // Only the report's own color codes reach the terminal.
    assert.doesNotMatch(color ? out.replace(/\x1b\[\d+m/g, '') : out, /[\x00-\x09\x0b-\x1f\x7f]/);
  });
}

test('no findings: the clean summary alone', () => {
  assert.equal(text([...formatTextChunks([], summarize([], 2), false)]), '✔ No problems in 2 files.\n');
});
