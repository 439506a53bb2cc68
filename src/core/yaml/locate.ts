import type { Node } from 'yaml';
import { isMap, isSeq, isPair, isScalar } from './api';
import type { YamlDocument, PathSegment } from './documents';

export interface Located {
  doc: YamlDocument;
  /** Path from the document root to the key or value under the offset. */
  path: PathSegment[];
  /** 'key' when the offset is on a mapping key, 'value' on a scalar value. */
  on: 'key' | 'value';
  /** File offsets of the scalar under the offset. */
  start: number;
  end: number;
  value: unknown;
}

/** Finds the document containing `offset` in a parsed file. */
export function documentAt(docs: readonly YamlDocument[], offset: number): YamlDocument | undefined {
  let found: YamlDocument | undefined;
  for (const d of docs) if (d.base <= offset) found = d;
  return found;
}

/** The scalar (key or value) under a file offset, with its path; undefined between nodes. */
export function locateScalar(d: YamlDocument, offset: number): Located | undefined {
  const rel = offset - d.base;
  const path: PathSegment[] = [];
  let node = d.doc.contents as Node | null;
  while (node) {
    if (isMap(node)) {
      let next: Node | null = null;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = item.key as Node | null;
        const v = item.value as Node | null;
        const key = isScalar(k) ? String(k.value) : '';
        if (k?.range && rel >= k.range[0] && rel <= k.range[1]) {
          return { doc: d, path: [...path, key], on: 'key', start: d.base + k.range[0], end: d.base + k.range[1], value: key };
        }
        if (v?.range && rel >= v.range[0] && rel <= v.range[1]) {
          path.push(key);
          next = v;
          break;
        }
      }
      node = next;
    } else if (isSeq(node)) {
      let next: Node | null = null;
      node.items.forEach((item, i) => {
        const n = item as Node | null;
        if (!next && n?.range && rel >= n.range[0] && rel <= n.range[1]) {
          path.push(i);
          next = n;
        }
      });
      node = next;
    } else if (isScalar(node) && node.range) {
      return { doc: d, path, on: 'value', start: d.base + node.range[0], end: d.base + node.range[1], value: node.value };
    } else {
      return undefined;
    }
  }
  return undefined;
}
