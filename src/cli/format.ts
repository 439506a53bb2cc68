import * as path from 'node:path';
import type { Finding, RelatedInfo, Severity } from '../core/types';
import { LineIndex } from '../core/lines';
import { RULES } from '../core/rules/registry';
import { ENGINE_RULES } from '../core/rules/engine-rules';
import { escapeControl } from '../core/display';

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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The text report, in pieces of about a megabyte (one string of 160,000 findings doubled the peak memory). */
export function* formatTextChunks(list: Located[], summary: Summary, color: boolean): Generator<string> {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  // File names and messages come from the files linted: control characters are shown escaped, never sent to the
  // terminal (a Gateway name could otherwise erase its own error line and print a clean summary).
  const where = (file: string, line: number, column: number) => `${escapeControl(file)}:${line}:${column}`;
  // A loop, not Math.max(...list): spreading 120,000 arguments overflows the stack.
  let width = 0;
  for (const l of list) width = Math.max(width, where(l.file, l.line, l.column).length);
  let chunk = '';
  for (const l of list) {
    const at = where(l.file, l.line, l.column);
    chunk += `${paint('1', at)}${' '.repeat(width - at.length)}  ${paint(sevColor[l.severity], l.severity.padEnd(7))}  ${paint('2', l.rule)}  ${escapeControl(l.message)}\n`;
    for (const r of l.related ?? []) chunk += `${' '.repeat(width)}    ${paint('2', `↳ ${where(r.file, r.line, r.column)}`)}  ${escapeControl(r.message)}\n`;
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  const problems = summary.errors + summary.warnings + summary.infos + summary.hints;
  const detail = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.infos + summary.hints, 'note')].join(', ');
  const tail = problems === 0 ? paint('32', `✔ No problems in ${plural(summary.files, 'file')}.`) : paint(summary.errors ? '31' : '33', `✖ ${plural(problems, 'problem')} (${detail}) in ${plural(summary.files, 'file')} checked.`);
  // A blank line between the findings and the summary, as before.
  yield `${chunk}${list.length ? '\n' : ''}${tail}\n`;
}

/**
 * The same text as `JSON.stringify({ diagnostics, summary }, null, 2)`, in pieces of about a megabyte: 160,000
 * findings are 140 MB of JSON, and one string of it (plus its encoded copy on the way out) doubled the peak memory.
 */
export function* formatJsonChunks(list: Located[], summary: Summary): Generator<string> {
  const tail = `\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`;
  if (list.length === 0) {
    yield `{\n  "diagnostics": [],${tail}`;
    return;
  }
  // Findings have a known shape, so each is written out directly, in JSON.stringify's layout; a related list that many
  // findings share (thousands of Gateways on one certificate) and each file name and message are encoded once. A
  // finding with any other field goes through JSON.stringify itself. 200,000 findings: seconds before.
  const strings = new Map<string, string>();
  const str = (s: string) => {
    let out = strings.get(s);
    if (out === undefined) {
      if (strings.size >= 100_000) strings.clear();
      strings.set(s, (out = JSON.stringify(s)));
    }
    return out;
  };
  const relatedText = new Map<NonNullable<Located['related']>, string>();
  // Each piece is joined from its parts at once: a flat string, where appending part by part left a deep rope that
  // had to be flattened again on the way out.
  let parts: string[] = ['{\n  "diagnostics": [\n'];
  let size = 0;
  for (let i = 0; i < list.length; i++) {
    const text = findingJson(list[i], str, relatedText);
    parts.push(text, i < list.length - 1 ? ',\n' : '\n');
    size += text.length + 2;
    if (size > 1 << 20) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  parts.push(`  ],${tail}`);
  yield parts.join('');
}

/** The fields of a finding and of a related location, in the order locate() creates them (and JSON.stringify keeps). */
const LOCATED_KEYS = new Map(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'rule', 'message', 'istioCode', 'related'].map((k, i) => [k, i]));
const RELATED_KEYS = 'file,line,column,message';

/** One finding as `JSON.stringify(f, null, 2)` writes it at the depth of the report's list. */
function findingJson(f: Located, str: (s: string) => string, relatedText: Map<NonNullable<Located['related']>, string>): string {
  // Anything but the known fields in the known order is left to JSON.stringify, so the text never differs from it.
  let keys = 0;
  let last = -1;
  for (const k in f) {
    const at = LOCATED_KEYS.get(k);
    if (at === undefined || at < last) return `    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
    last = at;
    if ((f as unknown as Record<string, unknown>)[k] !== undefined) keys++;
  }
  const plain = (n: number) => Number.isInteger(n) && n >= 0;
  if (!plain(f.line) || !plain(f.column) || !plain(f.endLine) || !plain(f.endColumn) || keys < 8 || typeof f.file !== 'string' || typeof f.message !== 'string') return `    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
  let out = `    {\n      "file": ${str(f.file)},\n      "line": ${f.line},\n      "column": ${f.column},\n      "endLine": ${f.endLine},\n      "endColumn": ${f.endColumn},\n      "severity": ${str(f.severity)},\n      "rule": ${str(f.rule)},\n      "message": ${str(f.message)}`;
  if (f.istioCode !== undefined) out += `,\n      "istioCode": ${str(f.istioCode)}`;
  if (f.related !== undefined) {
    let r = relatedText.get(f.related);
    if (r === undefined) {
      r = f.related.every((x) => Object.keys(x).join(',') === RELATED_KEYS && plain(x.line) && plain(x.column) && typeof x.file === 'string' && typeof x.message === 'string')
        ? f.related.length === 0
          ? '[]'
          : `[\n${f.related.map((x) => `        {\n          "file": ${str(x.file)},\n          "line": ${x.line},\n          "column": ${x.column},\n          "message": ${str(x.message)}\n        }`).join(',\n')}\n      ]`
        : JSON.stringify(f.related, null, 2).replace(/\n/g, '\n      ');
      relatedText.set(f.related, r);
    }
    out += `,\n      "related": ${r}`;
  }
  return `${out}\n    }`;
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
