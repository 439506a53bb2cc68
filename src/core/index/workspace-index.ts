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
  /** `kind ns/name` → the first such resource in file order, built on the first find() after a change. */
  private byNameCache: Map<string, Resource> | undefined;
  /**
   * Resources per parsed document: an unchanged document keeps its Resource objects across edits of its file, so
   * anything derived from them (and keyed by them) stays valid.
   */
  private readonly resourceCache = new WeakMap<YamlDocument, Resource[]>();
  /** Bumped on every change, so consumers can cache derived data. */
  version = 0;
  private readonly kindVersions = new Map<string, number>();
  private otherVersion = 0;

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
    const entry: YamlFileEntry = { id, text, docs, resources: docs.flatMap((d) => this.resourcesOf(d)) };
    this.yamlFiles.set(id, entry);
    // Kinds whose resources appeared, disappeared or moved (a moved document is a new object with new offsets).
    const kept = new Set(docs);
    if (previous) for (const d of previous.docs) if (!kept.has(d)) this.bumpKinds(this.resourcesOf(d));
    const before = new Set(previous?.docs);
    for (const d of docs) if (!before.has(d)) this.bumpKinds(this.resourcesOf(d));
    this.changed();
    return entry;
  }

  setOtherFile(id: string, bytes: Uint8Array): void {
    this.otherFiles.set(id, { id, bytes });
    this.otherVersion++;
    this.changed();
  }

  removeFile(id: string): boolean {
    const yaml = this.yamlFiles.get(id);
    if (yaml) {
      this.yamlFiles.delete(id);
      this.bumpKinds(yaml.resources);
    } else if (this.otherFiles.delete(id)) {
      this.otherVersion++;
    } else {
      return false;
    }
    this.changed();
    return true;
  }

  /**
   * A counter that changes whenever a resource of `kind` is added, removed, edited or moved, and only then. Workspace
   * rules run on every re-lint; one that reads only some kinds can cache its work against these counters (plus
   * `otherFilesVersion` when it reads certificates) and skip it when an edit touched other kinds.
   */
  kindVersion(kind: string): number {
    return this.kindVersions.get(kind) ?? 0;
  }

  /** Changes whenever a non-YAML file (certificate, key, script) is added, replaced or removed. */
  get otherFilesVersion(): number {
    return this.otherVersion;
  }

  private bumpKinds(resources: readonly Resource[]): void {
    for (const r of resources) this.kindVersions.set(r.kind, this.kindVersion(r.kind) + 1);
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
    if (!this.byNameCache) {
      const m = new Map<string, Resource>();
      for (const f of this.yamlFiles.values()) {
        for (const r of f.resources) {
          const key = nameKey(r.kind, r.namespace, r.name);
          if (!m.has(key)) m.set(key, r);
        }
      }
      this.byNameCache = m;
    }
    return this.byNameCache.get(nameKey(kind, namespace, name));
  }

  private resourcesOf(d: YamlDocument): Resource[] {
    let rs = this.resourceCache.get(d);
    if (!rs) this.resourceCache.set(d, (rs = resourcesOf(d)));
    return rs;
  }

  private changed(): void {
    this.version++;
    this.byKindCache = undefined;
    this.byNameCache = undefined;
  }
}

/** Unambiguous even for names that are not valid Kubernetes names (the YAML may contain anything). */
function nameKey(kind: string, namespace: string, name: string): string {
  return JSON.stringify([kind, namespace, name]);
}
