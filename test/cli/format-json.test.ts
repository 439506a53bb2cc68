import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJsonChunks, summarize, type Located } from '../../src/cli/format';
import { rng } from '../support/rng';

// `--format json` is written in pieces of about a megabyte, built a batch of findings at a time; the pieces together
// must be exactly the text JSON.stringify gives for the whole report, for any number of findings and any content.

/** The report's text from its UTF-8 pieces (each piece ends on a whole character, as the test below checks). */
const text = (pieces: Uint8Array[]) => pieces.map((p) => new TextDecoder('utf-8', { fatal: true }).decode(p)).join('');

function findings(n: number, seed: number): Located[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const words = ['Host "a"', 'quote " and backslash \\', 'line\nbreak', 'tab\tand \u2028 separator', 'ünïcödé ✓', '😀 astral', ''];
  return Array.from({ length: n }, (_, i) => {
    const f: Located = {
      file: `dir ${i % 7}/g#${i % 3}.yaml`,
      line: 1 + Math.floor(r() * 10_000),
      column: 1 + Math.floor(r() * 80),
      endLine: 1 + Math.floor(r() * 10_000),
      endColumn: 1 + Math.floor(r() * 80),
      severity: pick(['error', 'warning', 'info', 'hint'] as const),
      rule: pick(['gateway-conflict', 'credential-unresolved']),
      message: `${pick(words)} ${'x'.repeat(Math.floor(r() * 3000))}`,
    };
    if (r() < 0.5) f.istioCode = 'IST0145';
    else if (r() < 0.1) f.istioCode = undefined;
    if (r() < 0.6) f.related = Array.from({ length: Math.floor(r() * 12) }, () => ({ file: 'other.yaml', line: 3, column: 5, message: pick(words) }));
    // Shapes the report does not make today but JSON.stringify would write: the text must still be its text.
    const odd = r();
    if (odd < 0.02) return { ...f, extra: { nested: [1, 'two'] } } as Located;
    if (odd < 0.04) return { message: f.message, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: f.severity, rule: f.rule };
    if (odd < 0.06) return { ...f, line: -1, column: 2.5 };
    if (odd < 0.08) return { ...f, related: [{ file: 'x.yaml', line: 1, column: 1, message: 'm', extra: true } as unknown as NonNullable<Located['related']>[number]] };
    return f;
  });
}

test('a related list shared by many findings is written the same way for each', () => {
  const related = [{ file: 'a.yaml', line: 1, column: 2, message: 'Same certificate on Gateway ns/g0' }];
  const list: Located[] = Array.from({ length: 3 }, (_, i) => ({ file: 'g.yaml', line: i + 1, column: 1, endLine: i + 1, endColumn: 4, severity: 'warning', rule: 'r', message: 'm', related }));
  assert.equal(text([...formatJsonChunks(list, summarize(list, 1))]), `${JSON.stringify({ diagnostics: list, summary: summarize(list, 1) }, null, 2)}\n`);
});

test('the JSON report in pieces is exactly JSON.stringify of the whole report', () => {
  for (const [n, seed] of [[0, 1], [1, 2], [2, 3], [255, 4], [256, 5], [257, 6], [3_000, 7], [20_000, 8]] as const) {
    const list = findings(n, seed);
    const summary = summarize(list, 9);
    const pieces = [...formatJsonChunks(list, summary)];
    assert.equal(text(pieces), `${JSON.stringify({ diagnostics: list, summary }, null, 2)}\n`, `${n} findings`);
    // Pieces stay around a megabyte (the last one may be small), so the report is never one giant string.
    for (const p of pieces.slice(0, -1)) assert.ok(p.length < 3 << 20, `a piece of ${p.length} bytes for ${n} findings`);
    if (n === 20_000) assert.ok(pieces.length > 5, `only ${pieces.length} pieces for ${n} findings`);
  }
});

test('findings that share a message but differ in anything else are each written as they are', () => {
  // The text after a finding's position is encoded once per message and kept for a few variants: every field of it
  // must still come from the finding itself.
  const r = rng(11);
  const relatedLists = Array.from({ length: 12 }, (_, i) => [{ file: `r${i}.yaml`, line: i + 1, column: 1, message: i % 2 ? 'Same host' : 'ünïcödé ✓' }]);
  const list: Located[] = Array.from({ length: 2_000 }, (_, i) => {
    const f: Located = {
      file: 'g.yaml',
      line: i + 1,
      column: 1,
      endLine: i + 1,
      endColumn: 9,
      severity: (['error', 'warning', 'info', 'hint'] as const)[Math.floor(r() * 4)],
      rule: r() < 0.5 ? 'gateway-conflict' : 'gateway-host-overlap',
      message: r() < 0.9 ? 'Host "a" conflicts.' : 'Other ✓',
    };
    if (r() < 0.5) f.istioCode = r() < 0.5 ? 'IST0145' : 'IST0106';
    if (r() < 0.7) f.related = relatedLists[Math.floor(r() * relatedLists.length)];
    return f;
  });
  const summary = summarize(list, 1);
  assert.equal(text([...formatJsonChunks(list, summary)]), `${JSON.stringify({ diagnostics: list, summary }, null, 2)}\n`);
});
