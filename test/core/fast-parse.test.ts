import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, isSeq, isScalar, isPair, type Node } from 'yaml';
import { fastParse, PARSE_OPTIONS } from '../../src/core/yaml/fast-parse';
import { splitDocuments } from '../../src/core/yaml/documents';
import { sharedPath } from '../support/shared';
import { rng } from '../support/rng';

/**
 * The fast parser's judge is the `yaml` package itself: for every document it accepts, the node tree (classes, scalar
 * types, values, sources, ranges, flow flags), the document range and the plain-data value must equal what
 * `parseDocument` + `toJS` give; a document `yaml` reports an error or a warning for must be declined.
 */

const ROOT = join(__dirname, '..', '..', '..');

function dump(n: unknown): unknown {
  if (n === null || n === undefined) return n;
  if (isMap(n) || isSeq(n)) {
    return { k: isMap(n) ? 'map' : 'seq', flow: !!n.flow, range: n.range, items: (n.items as unknown[]).map((it) => (isPair(it) ? { key: dump(it.key), value: dump(it.value) } : dump(it))) };
  }
  if (isScalar(n)) return { k: 'scalar', type: n.type, value: n.value, source: n.source, range: n.range, anchor: n.anchor, tag: n.tag, format: n.format };
  return { k: 'other', n: String(n) };
}

interface Verdict {
  accepted: boolean;
  problem?: string;
}

export function judge(text: string): Verdict {
  const fast = fastParse(text);
  if (!fast) return { accepted: false };
  const lib = parseDocument(text, PARSE_OPTIONS);
  if (lib.errors.length || lib.warnings.length) return { accepted: true, problem: `accepted a document yaml reports: ${(lib.errors[0] ?? lib.warnings[0]).message.split('\n')[0]}` };
  try {
    assert.deepStrictEqual(dump(fast.doc.contents as Node), dump(lib.contents as Node), 'node tree');
    assert.deepStrictEqual(fast.doc.range, lib.range, 'document range');
    assert.deepStrictEqual(fast.value, lib.toJS({ maxAliasCount: 100 }), 'value');
    assert.deepStrictEqual(fast.doc.toJS({ maxAliasCount: 100 }), fast.value, 'toJS of the fast nodes');
    // The fast nodes (kind and schema on a shared prototype) work with the yaml package's own code: it writes them out
    // as it writes its own (comments, blank lines and a leading `---` are not carried by the fast path, so only texts without them).
    if (!/#|\n\s*\n/.test(text.trimEnd()) && !text.startsWith('---')) assert.equal(fast.doc.toString(), lib.toString(), 'yaml writes the fast nodes as its own');
  } catch (e) {
    return { accepted: true, problem: (e as Error).message.slice(0, 3000) };
  }
  return { accepted: true };
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (e.isFile() && /\.ya?ml$/i.test(e.name) && statSync(p).size < 2_000_000) out.push(p);
  }
  return out;
}

export function corpus(): string[] {
  const dirs = [join(ROOT, 'examples'), join(ROOT, 'test', 'fixtures')];
  const shared = sharedPath('reference');
  if ('path' in shared) dirs.push(shared.path);
  const vendor = sharedPath('vendor');
  if ('path' in vendor) dirs.push(vendor.path);
  return dirs.flatMap((d) => yamlFiles(d));
}

export function chunksOf(files: string[]): string[] {
  return files.flatMap((f) => splitDocuments(readFileSync(f, 'utf8')).map((c) => c.text));
}

test('every document of the corpus the fast parser accepts parses exactly as yaml parses it', () => {
  const files = corpus();
  const chunks = chunksOf(files);
  let accepted = 0;
  const problems: string[] = [];
  for (const text of chunks) {
    const v = judge(text);
    if (v.accepted) accepted++;
    if (v.problem && problems.length < 5) problems.push(`${v.problem}\n--- document ---\n${text.slice(0, 600)}`);
  }
  process.stdout.write(`# fast parse: ${accepted} of ${chunks.length} documents from ${files.length} files accepted\n`);
  assert.deepEqual(problems, []);
  // The fast path has to carry the ordinary manifests, or it is dead weight: most documents must be taken.
  assert.ok(chunks.length > 1000 && accepted / chunks.length > 0.6, `only ${accepted} of ${chunks.length} accepted`);
});

const INSERTS = [' ', ' ', ':', ': ', '-', '- ', '#', ' #', '"', "'", '\n', '\n\n', '[', ']', '{', '}', '|', '>', '|-', '&a', '*a', '!', '?', 'x', '0', ',', '\\', '~', '  # c\n', '\n# c\n', '\n  # c\n', '\n    # c\n', '---\n', '...', '%', '\t', '\r', 'null', 'true', '1.5', '0x1f', '"a\\u00e9"'];

/** One random edit of the kinds that change how YAML reads: characters, indentation, comment and blank lines. */
function mutate(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const li = Math.floor(rnd() * lines.length);
  const pos = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return text.slice(0, pos) + text.slice(pos + 1);
    case 1:
    case 2:
      return text.slice(0, pos) + INSERTS[Math.floor(rnd() * INSERTS.length)] + text.slice(pos);
    case 3:
      lines.splice(li, 0, lines[li]);
      return lines.join('\n');
    case 4:
      lines[li] = rnd() < 0.5 ? ' '.repeat(1 + Math.floor(rnd() * 3)) + lines[li] : lines[li].replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 5:
      lines.splice(li, 1);
      return lines.join('\n');
    case 6:
      lines.splice(li, 0, ' '.repeat(Math.floor(rnd() * 9)) + (rnd() < 0.7 ? '# note' : ''));
      return lines.join('\n');
    default: {
      // Two edits at once reach states one edit cannot.
      return mutate(mutate(text, rnd), rnd);
    }
  }
}

test('random edits of accepted documents: whatever the fast parser accepts still parses exactly as yaml parses it', () => {
  const base = chunksOf(corpus()).filter((t) => t.length < 2500 && fastParse(t));
  // MESHTLS_FUZZ_SEED / MESHTLS_FUZZ_RUNS explore further from the command line; CI runs the fixed seed.
  const rnd = rng(Number(process.env.MESHTLS_FUZZ_SEED ?? 20261129));
  const problems: string[] = [];
  let accepted = 0;
  const runs = Number(process.env.MESHTLS_FUZZ_RUNS ?? 30_000);
  for (let i = 0; i < runs && problems.length < 3; i++) {
    const text = mutate(base[Math.floor(rnd() * base.length)], rnd);
    const v = judge(text);
    if (v.accepted) accepted++;
    if (v.problem) problems.push(`${v.problem}\n--- document ---\n${JSON.stringify(text)}`);
  }
  process.stdout.write(`# fast parse fuzz: ${accepted} of ${runs} edited documents accepted\n`);
  assert.deepEqual(problems, []);
  assert.ok(accepted > runs / 4, `only ${accepted} of ${runs} edited documents accepted: the fuzz would not test the fast path`);
});

test('the shapes the fast path takes and the ones it leaves to yaml', () => {
  const taken = [
    'a: 1\nb: "x\\ty"\nc: \'it\'\'s\'\nd: [1, "two", {three: 3}]\ne: { f: g }\n',
    'list:\n- a\n- b: 1\n  c: 2\n-   d\nafter: x # comment\n',
    'k: |\n  line one\n    indented\n  line three\nm: >-\n  folded\n  text\n\n  para\nn: x\n',
    '---\n# head\nspec:\n  hosts:\n  - a\n  # trailing comment at the list\'s column\n  tls: {}\n',
    'a:\n  b:\n    c: 1\n   # between the columns\nd: 2\n',
  ];
  for (const t of taken) {
    const v = judge(t);
    assert.equal(v.accepted, true, t);
    assert.equal(v.problem, undefined, `${t}\n${v.problem}`);
  }
  const left = ['a: &x 1\nb: *x\n', 'a: !!str 1\n', '? a\n: b\n', '"a": 1\n', 'a: 1.5\n', 'a: b\n  c\n', 'a: "x\n  y"\n', 'a: [1,\n  2]\n', 'a: |+\n  x\n\n', 'a: 1\na: 2\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', '%YAML 1.2\n---\na: 1\n', '- - a\n', 'a: b: c\n', '__proto__: x\n', 'a: 1\n  # more-indented comment after a value\n'];
  for (const t of left) assert.equal(fastParse(t), undefined, t);
});
