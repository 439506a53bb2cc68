import * as path from 'node:path';
import type { Finding, RelatedInfo, Severity } from '../core/types';
import { LineIndex } from '../core/lines';
import { RULES } from '../core/rules/registry';
import { ENGINE_RULES } from '../core/rules/engine-rules';
import { escapeControl } from '../core/display';
import { EncodedStrings, ReportBytes } from './report-bytes';

/** A finding with 1-based positions and a display path, ready for any output format. */
export interface Located {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  message: string;
  istioCode?: string;
  related?: { file: string; line: number; column: number; message: string }[];
}

export interface FileTexts {
  /** Text of a file by id (for line numbers); undefined for binary material. */
  text(id: string): string | undefined;
  /** Display path of a file id (relative to the current directory). */
  display(id: string): string;
}

export function locate(findings: Finding[], files: FileTexts): Located[] {
  const indexes = new Map<string, LineIndex>();
  const pos = (id: string, offset: number) => {
    const text = files.text(id);
    if (text === undefined) return { line: 1, column: 1 };
    let li = indexes.get(id);
    if (!li) indexes.set(id, (li = new LineIndex(text)));
    const p = li.position(offset);
    return { line: p.line + 1, column: p.column + 1 };
  };
  // Rules hand one related list to every finding of a group (thousands of Gateways sharing a certificate): it is
  // located once.
  const relatedDone = new Map<readonly RelatedInfo[], Located['related']>();
  return findings.map((f) => {
    const s = pos(f.fileId, f.start);
    const e = pos(f.fileId, f.end);
    const out: Located = { file: files.display(f.fileId), line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: f.severity, rule: f.ruleId, message: f.message };
    if (f.istioCode) out.istioCode = f.istioCode;
    if (f.related?.length) {
      let related = relatedDone.get(f.related);
      if (!related) relatedDone.set(f.related, (related = f.related.map((r) => ({ file: files.display(r.fileId), ...pos(r.fileId, r.start), message: r.message }))));
      out.related = related;
    }
    return out;
  });
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
}

export function summarize(list: Located[], fileCount: number): Summary {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const l of list) n[l.severity]++;
  return { files: fileCount, errors: n.error, warnings: n.warning, infos: n.info, hints: n.hint };
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The text report, as UTF-8 in pieces of about a megabyte (one string of 160,000 findings doubled the peak memory).
 * Each file name, message and shared related list is escaped and encoded once.
 */
export function* formatTextChunks(list: Located[], summary: Summary, color: boolean): Generator<Uint8Array> {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  // File names and messages come from the files linted: control characters are shown escaped, never sent to the
  // terminal (a Gateway name could otherwise erase its own error line and print a clean summary).
  const files = new Map<string, { text: string; bytes: Uint8Array }>();
  const fileName = (file: string) => {
    let f = files.get(file);
    if (!f) {
      const text = escapeControl(file);
      files.set(file, (f = { text, bytes: utf8(text) }));
    }
    return f;
  };
  const digits = (n: number) => (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : `${n}`.length);
  // `file:line:column`, and its width in characters (the column the severities line up at).
  const whereWidth = (file: string, line: number, column: number) => fileName(file).text.length + digits(line) + digits(column) + 2;
  // A loop, not Math.max(...list): spreading 120,000 arguments overflows the stack.
  let width = 0;
  for (const l of list) width = Math.max(width, whereWidth(l.file, l.line, l.column));
  const out = new ReportBytes(1 << 20);
  const colon = utf8(':');
  const [boldOn, off] = color ? [utf8('\x1b[1m'), utf8('\x1b[0m')] : [new Uint8Array(0), new Uint8Array(0)];
  const spaces = utf8(' '.repeat(width + 4));
  const gap = utf8('  ');
  const newline = utf8('\n');
  const severity: Record<Severity, Uint8Array> = { error: utf8(''), warning: utf8(''), info: utf8(''), hint: utf8('') };
  for (const v of ['error', 'warning', 'info', 'hint'] as const) severity[v] = utf8(`  ${paint(sevColor[v], v.padEnd(7))}  `);
  const rules = new EncodedStrings((rule) => paint('2', rule));
  const messages = new EncodedStrings(escapeControl);
  const relatedLines = new Map<NonNullable<Located['related']>, Uint8Array>();
  const related = (list: NonNullable<Located['related']>) => {
    let bytes = relatedLines.get(list);
    if (!bytes) {
      const lines = list.map((r) => `${' '.repeat(width)}    ${paint('2', `↳ ${fileName(r.file).text}:${r.line}:${r.column}`)}  ${escapeControl(r.message)}\n`);
      bytes = utf8(lines.join(''));
      if (relatedLines.size >= 10_000) relatedLines.clear();
      relatedLines.set(list, bytes);
    }
    return bytes;
  };
  for (const l of list) {
    out.bytes(boldOn);
    out.bytes(fileName(l.file).bytes);
    out.bytes(colon);
    out.int(l.line);
    out.bytes(colon);
    out.int(l.column);
    out.bytes(off);
    out.bytes(spaces.subarray(0, width - whereWidth(l.file, l.line, l.column)));
    out.bytes(severity[l.severity]);
    out.bytes(rules.get(l.rule));
    out.bytes(gap);
    out.bytes(messages.get(l.message));
    out.bytes(newline);
    if (l.related?.length) out.bytes(related(l.related));
    if (out.size >= 1 << 20) yield out.take();
  }
  const problems = summary.errors + summary.warnings + summary.infos + summary.hints;
  const detail = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.infos + summary.hints, 'note')].join(', ');
  const tail = problems === 0 ? paint('32', `✔ No problems in ${plural(summary.files, 'file')}.`) : paint(summary.errors ? '31' : '33', `✖ ${plural(problems, 'problem')} (${detail}) in ${plural(summary.files, 'file')} checked.`);
  // A blank line between the findings and the summary, as before.
  out.bytes(utf8(`${list.length ? '\n' : ''}${tail}\n`));
  yield out.take();
}

/**
 * The same text as `JSON.stringify({ diagnostics, summary }, null, 2)`, as UTF-8 in pieces of about a megabyte: 160,000
 * findings are 140 MB of JSON, and one string of it (plus its encoded copy on the way out) doubled the peak memory.
 */
export function* formatJsonChunks(list: Located[], summary: Summary): Generator<Uint8Array> {
  const tail = `\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`;
  if (list.length === 0) {
    yield Buffer.from(`{\n  "diagnostics": [],${tail}`, 'utf8');
    return;
  }
  // Findings have a known shape, so each is written out directly, in JSON.stringify's layout; a related list that many
  // findings share (thousands of Gateways on one certificate) and each file name and message are encoded once. A
  // finding with any other field goes through JSON.stringify itself. 200,000 findings: seconds before.
  const out = new ReportBytes(1 << 20);
  const writer = new FindingWriter(out);
  out.bytes(Buffer.from('{\n  "diagnostics": [\n'));
  const comma = Buffer.from(',\n');
  const last = Buffer.from('\n');
  for (let i = 0; i < list.length; i++) {
    writer.write(list[i]);
    out.bytes(i < list.length - 1 ? comma : last);
    if (out.size >= 1 << 20) yield out.take();
  }
  out.bytes(Buffer.from(`  ],${tail}`, 'utf8'));
  yield out.take();
}

/** The fields of a finding and of a related location, in the order locate() creates them (and JSON.stringify keeps). */
const LOCATED_KEYS = new Map(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message', 'istioCode', 'related'].map((k, i) => [k, i]));
const RELATED_KEYS = 'file,line,column,message';
const plain = (n: number) => Number.isInteger(n) && n >= 0;
const str = (s: string) => JSON.stringify(s);

/** The text after a finding's position: the same for every finding of a group, so it is encoded once per group. */
interface Tail {
  severity: string;
  rule: string;
  istioCode: string | undefined;
  related: Located['related'];
  bytes: Uint8Array;
}

/** Writes findings as `JSON.stringify(f, null, 2)` writes them at the depth of the report's list. */
class FindingWriter {
  private readonly strings = new EncodedStrings(str);
  private readonly relatedText = new Map<NonNullable<Located['related']>, string>();
  /** Tails by message; a message with many different tails (each finding its own related list) keeps only a few. */
  private readonly tails = new Map<string, Tail[]>();
  private tailBytes = 0;
  private readonly head = [utf8('    {\n      "file": '), utf8(',\n      "line": '), utf8(',\n      "column": '), utf8(',\n      "endLine": '), utf8(',\n      "endColumn": ')];

  constructor(private readonly out: ReportBytes) {}

  write(f: Located): void {
    if (!this.known(f)) {
      this.out.bytes(utf8(`    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`));
      return;
    }
    const { out, head } = this;
    out.bytes(head[0]);
    out.bytes(this.strings.get(f.file));
    out.bytes(head[1]);
    out.int(f.line);
    out.bytes(head[2]);
    out.int(f.column);
    out.bytes(head[3]);
    out.int(f.endLine);
    out.bytes(head[4]);
    out.int(f.endColumn);
    out.bytes(this.tail(f));
  }

  /** Whether the finding has only the known fields, in the known order, with plain values. */
  private known(f: Located): boolean {
    let keys = 0;
    let last = -1;
    for (const k in f) {
      const at = LOCATED_KEYS.get(k);
      if (at === undefined || at < last) return false;
      last = at;
      if ((f as unknown as Record<string, unknown>)[k] !== undefined) keys++;
    }
    return plain(f.line) && plain(f.column) && plain(f.endLine) && plain(f.endColumn) && keys >= 8 && typeof f.file === 'string' && typeof f.message === 'string';
  }

  private tail(f: Located): Uint8Array {
    let list = this.tails.get(f.message);
    if (list) {
      for (const t of list) if (t.related === f.related && t.rule === f.rule && t.severity === f.severity && t.istioCode === f.istioCode) return t.bytes;
    }
    let text = `,\n      "severity": ${str(f.severity)},\n      "rule": ${str(f.rule)},\n      "message": ${str(f.message)}`;
    if (f.istioCode !== undefined) text += `,\n      "istioCode": ${str(f.istioCode)}`;
    if (f.related !== undefined) text += `,\n      "related": ${this.related(f.related)}`;
    const bytes = utf8(`${text}\n    }`);
    if (this.tailBytes + bytes.length > 16 << 20) {
      this.tails.clear();
      this.tailBytes = 0;
      list = undefined;
    }
    if (!list) this.tails.set(f.message, (list = []));
    if (list.length < 8) {
      list.push({ severity: f.severity, rule: f.rule, istioCode: f.istioCode, related: f.related, bytes });
      this.tailBytes += bytes.length;
    }
    return bytes;
  }

  private related(related: NonNullable<Located['related']>): string {
    let r = this.relatedText.get(related);
    if (r === undefined) {
      r = related.every((x) => Object.keys(x).join(',') === RELATED_KEYS && plain(x.line) && plain(x.column) && typeof x.file === 'string' && typeof x.message === 'string')
        ? related.length === 0
          ? '[]'
          : `[\n${related.map((x) => `        {\n          "file": ${str(x.file)},\n          "line": ${x.line},\n          "column": ${x.column},\n          "message": ${str(x.message)}\n        }`).join(',\n')}\n      ]`
        : JSON.stringify(related, null, 2).replace(/\n/g, '\n      ');
      if (this.relatedText.size >= 10_000) this.relatedText.clear();
      this.relatedText.set(related, r);
    }
    return r;
  }
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(list: Located[], version: string): string {
  const all = [...RULES, ...Object.values(ENGINE_RULES)];
  const rules = all.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    helpUri: `https://github.com/meshtls/meshtls/blob/main/docs/rules/${r.id}.md`,
    defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity as Severity] },
    ...('istioCode' in r && r.istioCode ? { properties: { istioCode: r.istioCode } } : {}),
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // A URI, not a path: `#`, `%`, spaces and non-ASCII in file names are percent-encoded (RFC 3986), segment by segment.
  const encode = (file: string) => file.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
  const artifact = (file: string) => (path.isAbsolute(file) ? { uri: `file://${encode(file)}` } : { uri: encode(file), uriBaseId: '%SRCROOT%' });
  const results = list.map((l) => ({
    ruleId: l.rule,
    ...(ruleIndex.has(l.rule) ? { ruleIndex: ruleIndex.get(l.rule) } : {}),
    level: SARIF_LEVEL[l.severity],
    message: { text: l.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(l.file),
          region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: Math.max(l.endColumn, l.endLine === l.line ? l.column + 1 : 1) },
        },
      },
    ],
    ...(l.related?.length
      ? { relatedLocations: l.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: { artifactLocation: artifact(r.file), region: { startLine: r.line, startColumn: r.column } } })) }
      : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'meshtls', version, informationUri: 'https://github.com/meshtls/meshtls', rules } }, results }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
