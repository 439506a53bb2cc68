import { WorkspaceIndex } from '../../src/core/index/workspace-index';
import { Linter } from '../../src/core/lint';
import type { MeshtlsConfig } from '../../src/core/config';
import type { Resource } from '../../src/core/istio/resource';
import { nodeAt } from '../../src/core/yaml/documents';
import type { Rule } from '../../src/core/rules/types';
import type { Finding } from '../../src/core/types';

/** A finding tied to the resource it sits in, named the way Istio's and Kiali's test tables name resources. */
export interface Placed {
  finding: Finding;
  resource?: Resource;
  /** `Kind namespace/name`, or `Kind name` when the YAML gives no namespace (Istio's harness), or undefined. */
  name?: string;
}

/** `Kind ns/name`, or `Kind name` when the document has no metadata.namespace (how Istio's test table names it). */
export function tableName(r: Resource): string {
  return r.namespaceSet ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

/** The resource whose text holds `offset` in `fileId` (the innermost one for `kind: List` items). */
export function resourceAt(index: WorkspaceIndex, fileId: string, offset: number): Resource | undefined {
  const file = index.yamlFiles.get(fileId);
  if (!file) return undefined;
  let best: Resource | undefined;
  let bestSize = Infinity;
  for (const r of file.resources) {
    // A plain document spans its whole text; a `kind: List` item spans its node.
    const node = r.path.length === 0 ? undefined : nodeAt(r.doc.doc, r.path);
    const s = node?.range ? { start: r.doc.base + node.range[0], end: r.doc.base + node.range[1] } : { start: r.doc.base, end: r.doc.base + r.doc.text.length };
    if (offset >= s.start && offset <= s.end && s.end - s.start < bestSize) {
      best = r;
      bestSize = s.end - s.start;
    }
  }
  return best;
}

/** Lints `files` (id → text) with `rules` and places every finding in its resource. */
export function lintPlaced(files: Record<string, string>, opts: { config: MeshtlsConfig; now: Date; rules?: readonly Rule[]; other?: Record<string, Uint8Array> }): Placed[] {
  const index = new WorkspaceIndex();
  for (const [id, text] of Object.entries(files)) index.setYamlFile(id, text);
  for (const [id, bytes] of Object.entries(opts.other ?? {})) index.setOtherFile(id, bytes);
  const out: Placed[] = [];
  for (const list of new Linter({ config: opts.config, now: opts.now, rules: opts.rules }).lint(index, opts.now).values()) {
    for (const f of list) {
      const resource = resourceAt(index, f.fileId, f.start);
      out.push({ finding: f, resource, name: resource ? tableName(resource) : undefined });
    }
  }
  return out;
}

/** Multiset difference: what `a` has more of than `b`. */
export function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}
