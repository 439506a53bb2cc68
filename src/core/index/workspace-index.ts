import { splitDocuments, parseChunk, type YamlDocument } from '../yaml/documents';
import { resourcesOf, type Resource } from '../istio/resource';

export interface YamlFileEntry {
  id: string;
  text: string;
  docs: YamlDocument[];
  resources: Resource[];
}

/** Non-YAML files other indexers care about (PEM/DER material, scripts with kubectl lines, Markdown). */
export interface OtherFileEntry {
  id: string;
  bytes: Uint8Array;
}

export const YAML_FILE = /\.ya?ml$/i;

/**
 * All YAML resources of a workspace, by file. Updating a file re-parses only the documents whose text changed;
 * unchanged documents keep their parsed form (and therefore their cached findings).
 */
export class WorkspaceIndex {
  readonly yamlFiles = new Map<string, YamlFileEntry>();
  readonly otherFiles = new Map<string, OtherFileEntry>();
  private byKindCache: Map<string, Resource[]> | undefined;
  /** Bumped on every change, so consumers can cache derived data. */
  version = 0;

  setYamlFile(id: string, text: string): YamlFileEntry {
    const previous = this.yamlFiles.get(id);
    const reuse = new Map<string, YamlDocument>();
    if (previous) for (const d of previous.docs) reuse.set(d.text, d);
    const docs = splitDocuments(text).map((chunk, i) => {
      const old = reuse.get(chunk.text);
      if (old && old.index === i && old.base === chunk.base) return old;
      if (old) {
        // Same text at another position: shift the offsets, keep the parse.
        const delta = chunk.base - old.base;
        return { ...old, index: i, base: chunk.base, errors: old.errors.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) };
      }
      return parseChunk(id, i, chunk);
    });
    const entry: YamlFileEntry = { id, text, docs, resources: docs.flatMap(resourcesOf) };
    this.yamlFiles.set(id, entry);
    this.changed();
    return entry;
  }

  setOtherFile(id: string, bytes: Uint8Array): void {
    this.otherFiles.set(id, { id, bytes });
    this.changed();
  }

  removeFile(id: string): boolean {
    const had = this.yamlFiles.delete(id) || this.otherFiles.delete(id);
    if (had) this.changed();
    return had;
  }

  hasFile(id: string): boolean {
    return this.yamlFiles.has(id) || this.otherFiles.has(id);
  }

  /** Every resource of a kind, across the workspace, in file order. */
  ofKind(kind: string): Resource[] {
    if (!this.byKindCache) {
      const m = new Map<string, Resource[]>();
      for (const f of this.yamlFiles.values()) {
        for (const r of f.resources) {
          let list = m.get(r.kind);
          if (!list) m.set(r.kind, (list = []));
          list.push(r);
        }
      }
      this.byKindCache = m;
    }
    return this.byKindCache.get(kind) ?? [];
  }

  find(kind: string, namespace: string, name: string): Resource | undefined {
    return this.ofKind(kind).find((r) => r.namespace === namespace && r.name === name);
  }

  private changed(): void {
    this.version++;
    this.byKindCache = undefined;
  }
}
