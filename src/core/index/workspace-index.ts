import { pushTo } from '../collections';
import { splitDocuments, parseChunk, type Chunk, type ChunkOptions, type YamlDocument } from '../yaml/documents';
import { extractEmbeddedYaml, blockChunks, hostKindOf, type EmbeddedProblem, type HostKind } from '../yaml/embedded';
import { resourcesOf, type Resource } from '../istio/resource';

export interface YamlFileEntry {
  id: string;
  /** The whole file's text; for a host file (a script or Markdown page), the host's text. */
  text: string;
  docs: YamlDocument[];
  resources: Resource[];
  /**
   * Set for a file that is not YAML but holds YAML (heredocs, fenced blocks): its documents have offsets in the host
   * text, and `problems` lists blocks that could not be read.
   */
  host?: { kind: HostKind; problems: EmbeddedProblem[] };
}

/** Non-YAML files other indexers care about (PEM/DER material, scripts with kubectl lines, Markdown). */
export interface OtherFileEntry {
  id: string;
  bytes: Uint8Array;
}

/** One resource of a real kustomize build: the source file it came from, and the name and namespace it got. */
export interface RenderedResource {
  file: string;
  kind: string;
  name: string;
  namespace: string | undefined;
}

/** What rendering a kustomization gave (the Node layer runs kustomize; the core only reads the result). */
export type RenderedBuild = { resources: RenderedResource[]; error?: undefined } | { error: string; resources?: undefined };

export const YAML_FILE = /\.ya?ml$/i;

/** The pseudo-kind `kindVersion` counts documents under that define no modelled resource (see bumpDocs). */
export const UNTYPED_DOCUMENTS = '(untyped documents)';

/** Keeps a byte-order mark, as the adapters' own decoding does, so offsets agree with the text they show. */
const HOST_DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * All YAML resources of a workspace, by file. Updating a file re-parses only the documents whose text changed;
 * unchanged documents keep their parsed form (and therefore their cached findings).
 */
export class WorkspaceIndex {
  readonly yamlFiles = new Map<string, YamlFileEntry>();
  readonly otherFiles = new Map<string, OtherFileEntry>();
  /** Real kustomize builds by kustomization file id, when an adapter could render them. */
  readonly rendered = new Map<string, RenderedBuild>();
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
  private renderedVersionValue = 0;

  setYamlFile(id: string, text: string): YamlFileEntry {
    return this.setDocuments(id, text, splitDocuments(text).map((chunk) => ({ chunk, options: {} })), undefined);
  }

  /**
   * A file that holds YAML inside another language: each heredoc or fenced block becomes documents with offsets in
   * the host text. A host with no such block has no YAML entry (it stays material for the credential indexer only).
   */
  private setHostText(id: string, kind: HostKind, text: string): void {
    const { blocks, problems } = extractEmbeddedYaml(id, text);
    if (blocks.length === 0 && problems.length === 0) {
      const previous = this.yamlFiles.get(id);
      if (previous) {
        this.yamlFiles.delete(id);
        this.bumpDocs(previous.docs);
      }
      return;
    }
    // A heredoc applied in a loop over namespaces is one set of documents per namespace, at the same offsets.
    const chunks = blocks.flatMap((b) =>
      blockChunks(b).flatMap((chunk) => (b.loopNamespaces ?? [b.applyNamespace]).map((applyNamespace) => ({ chunk, options: { applyNamespace, shellExpands: b.expands } }))),
    );
    this.setDocuments(id, text, chunks, { kind, problems });
  }

  private setDocuments(id: string, text: string, chunks: { chunk: Chunk; options: ChunkOptions }[], host: YamlFileEntry['host']): YamlFileEntry {
    const previous = this.yamlFiles.get(id);
    const reuse = new Map<string, YamlDocument>();
    // A heredoc's text means something else under another `-n` or quoting: those are part of the key.
    const keyOf = (text: string, o: ChunkOptions) => (o.applyNamespace || o.shellExpands ? JSON.stringify([text, o.applyNamespace?.namespace, o.shellExpands]) : text);
    if (previous) for (const d of previous.docs) reuse.set(keyOf(d.text, { applyNamespace: d.applyNamespace, shellExpands: d.shellExpands }), d);
    const docs = chunks.map(({ chunk, options }, i) => {
      const old = reuse.get(keyOf(chunk.text, options));
      const sameNamespaceSpan = old?.applyNamespace?.start === options.applyNamespace?.start;
      if (old && old.index === i && old.base === chunk.base && sameNamespaceSpan) return old;
      if (old) {
        // Same text at another position: shift the offsets, keep the parse.
        const delta = chunk.base - old.base;
        const moved: YamlDocument = { ...old, index: i, base: chunk.base, errors: old.errors.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) };
        if (options.applyNamespace) moved.applyNamespace = options.applyNamespace;
        return moved;
      }
      return parseChunk(id, i, chunk, options);
    });
    const entry: YamlFileEntry = { id, text, docs, resources: docs.flatMap((d) => this.resourcesOf(d)) };
    if (host) entry.host = host;
    this.yamlFiles.set(id, entry);
    // Kinds whose resources appeared, disappeared or moved (a moved document is a new object with new offsets).
    const kept = new Set(docs);
    if (previous) this.bumpDocs(previous.docs.filter((d) => !kept.has(d)));
    const before = new Set(previous?.docs);
    this.bumpDocs(docs.filter((d) => !before.has(d)));
    this.changed();
    return entry;
  }

  /**
   * A non-YAML file: certificate material, or a script/Makefile/Markdown page, which the credential indexer reads for
   * `kubectl create secret` lines and which may also hold YAML documents (see setHostText).
   */
  setOtherFile(id: string, bytes: Uint8Array): void {
    this.otherFiles.set(id, { id, bytes });
    this.otherVersion++;
    const kind = hostKindOf(id);
    if (kind) this.setHostText(id, kind, HOST_DECODER.decode(bytes));
    this.changed();
  }

  /** Records (or, with undefined, forgets) the real build of a kustomization. */
  setRendered(kustomizationId: string, build: RenderedBuild | undefined): void {
    if (build) this.rendered.set(kustomizationId, build);
    else this.rendered.delete(kustomizationId);
    this.renderedVersionValue++;
    this.changed();
  }

  removeFile(id: string): boolean {
    const yaml = this.yamlFiles.get(id);
    if (yaml) {
      this.yamlFiles.delete(id);
      this.bumpDocs(yaml.docs);
    }
    const other = this.otherFiles.delete(id);
    if (other) this.otherVersion++;
    if (!yaml && !other) return false;
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

  /** Changes whenever a real kustomize build is recorded or forgotten. */
  get renderedVersion(): number {
    return this.renderedVersionValue;
  }

  /**
   * Documents that appeared or disappeared (an edited document is both): each bumps the kinds of its resources, and
   * one that defines no resource meshtls models (a kustomization, a cert-manager Certificate, a syntax error) bumps
   * UNTYPED_DOCUMENTS, so readers of such documents can key on it too.
   */
  private bumpDocs(docs: readonly YamlDocument[]): void {
    for (const d of docs) {
      const rs = this.resourcesOf(d);
      if (rs.length === 0) this.kindVersions.set(UNTYPED_DOCUMENTS, this.kindVersion(UNTYPED_DOCUMENTS) + 1);
      for (const r of rs) this.kindVersions.set(r.kind, this.kindVersion(r.kind) + 1);
    }
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
          pushTo(m, r.kind, r);
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
