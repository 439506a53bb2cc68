// Text edits for quick fixes, computed on the parsed document so they respect the author's layout. Each helper
// returns undefined when the layout is one it cannot edit safely (a fix that might corrupt the file is worse than none).
import type { Node, Pair } from 'yaml';
import { isMap, isScalar } from './api';
import type { TextEdit } from '../types';
import { findPair, nodeAt, type PathSegment, type YamlDocument } from './documents';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the newline ending the line that holds `offset` (or the text length). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const e = nl < 0 ? text.length : nl;
  return e > 0 && text.charCodeAt(e - 1) === 0x0d ? e - 1 : e;
}

function isBlank(s: string): boolean {
  return s.trim() === '';
}

/** Replaces a scalar value at `path` with `newText`. */
export function replaceScalar(d: YamlDocument, path: readonly PathSegment[], newText: string): TextEdit | undefined {
  const node = nodeAt(d.doc, path);
  if (!node || !isScalar(node) || !node.range) return undefined;
  return { fileId: d.fileId, start: d.base + node.range[0], end: d.base + node.range[1], newText };
}

/** Deletes the `key` entry of the map at `mapPath`, keeping the map valid (block and flow layouts). */
export function removeKey(d: YamlDocument, mapPath: readonly PathSegment[], key: string): TextEdit | undefined {
  const map = nodeAt(d.doc, mapPath);
  if (!map || !isMap(map)) return undefined;
  const pair = findPair(map, key);
  if (!pair) return undefined;
  const i = map.items.indexOf(pair as Pair<unknown, unknown>);
  const k = pair.key as Node;
  const v = pair.value as Node | null;
  if (!k.range) return undefined;
  const valueEnd = v?.range ? v.range[1] : k.range[1];
  const t = d.text;
  if (map.flow) {
    const next = map.items[i + 1];
    const prev = map.items[i - 1];
    if (next && isScalar(next.key) && next.key.range) return { fileId: d.fileId, start: d.base + k.range[0], end: d.base + next.key.range[0], newText: '' };
    const prevValue = prev?.value as Node | null | undefined;
    if (prevValue?.range) return { fileId: d.fileId, start: d.base + prevValue.range[1], end: d.base + valueEnd, newText: '' };
    return undefined;
  }
  // Block layout: drop whole lines, but only when the key starts its line (not `- key:` inside a sequence item).
  const start = lineStart(t, k.range[0]);
  if (!isBlank(t.slice(start, k.range[0]))) return undefined;
  const lastLineEnd = lineEnd(t, Math.max(k.range[0], valueEnd - 1));
  const end = t.indexOf('\n', lastLineEnd) < 0 ? t.length : t.indexOf('\n', lastLineEnd) + 1;
  return { fileId: d.fileId, start: d.base + start, end: d.base + end, newText: '' };
}

/** A document's line break, looked up once: a Gateway with 10,000 servers asks for it once per server. */
const lineBreaks = new WeakMap<YamlDocument, string>();
function lineBreakOf(d: YamlDocument): string {
  let eol = lineBreaks.get(d);
  if (eol === undefined) lineBreaks.set(d, (eol = d.text.includes('\r\n') ? '\r\n' : '\n'));
  return eol;
}

/**
 * Inserts `lines` (already relative: "key: v", "  child: w") as new entries of the block map at `mapPath`, right after
 * the entry `afterKey`, indented like that map's keys. Undefined for flow maps or when the key is missing.
 */
export function insertAfterKey(d: YamlDocument, mapPath: readonly PathSegment[], afterKey: string, lines: readonly string[]): TextEdit | undefined {
  const map = nodeAt(d.doc, mapPath);
  if (!map || !isMap(map) || map.flow) return undefined;
  const pair = findPair(map, afterKey);
  if (!pair) return undefined;
  const k = pair.key as Node;
  const v = pair.value as Node | null;
  if (!k.range) return undefined;
  const t = d.text;
  const column = k.range[0] - lineStart(t, k.range[0]);
  const indent = ' '.repeat(column);
  const valueEnd = v?.range ? v.range[1] : k.range[1];
  const at = lineEnd(t, Math.max(k.range[0], valueEnd - 1));
  const eol = lineBreakOf(d);
  const newText = lines.map((l) => eol + indent + l).join('');
  return { fileId: d.fileId, start: d.base + at, end: d.base + at, newText };
}

/** The indentation step the document uses for nested block maps (2 when it cannot tell). */
export function indentStep(d: YamlDocument, mapPath: readonly PathSegment[], key: string): number {
  const map = nodeAt(d.doc, mapPath);
  if (!map || !isMap(map)) return 2;
  const pair = findPair(map, key);
  const inner = pair?.value as Node | null | undefined;
  const k = pair?.key as Node | undefined;
  if (!k?.range || !inner || !isMap(inner) || inner.flow || !inner.range) return 2;
  const t = d.text;
  const step = inner.range[0] - lineStart(t, inner.range[0]) - (k.range[0] - lineStart(t, k.range[0]));
  return step > 0 && step <= 8 ? step : 2;
}
