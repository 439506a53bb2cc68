import { pushTo } from '../collections';
import type { Span } from '../types';
import { UNTYPED_DOCUMENTS, type OtherFileEntry, type WorkspaceIndex } from './workspace-index';
import type { MeshtlsConfig } from '../config';
import { gatewayWorkloadNamespace } from '../config';
import { isObject, spanIn, type Resource } from '../istio/resource';
import { spanOf, type YamlDocument } from '../yaml/documents';
import { credentialNameSpan, gatewayServers, gatewaySelector, type GatewayServer } from '../istio/gateway';
import { basename, dirname, join } from '../paths';
import { findKubectlSecrets, type KubectlSecret } from './kubectl';
import { kustomizeGenerators, type GeneratedObject } from './kustomize-generators';
import { bytesToText, base64ToBytes } from '../certs/pem';
import type { PathSegment } from '../yaml/documents';
import { certificateRefs, frontendValidation, listenersOf, tlsOptions, OPTION_TERMINATE_MODE, type Listener } from '../istio/gateway-api';
import { gatewayClassOwner, listenerSetAdmission, listenerSetParent, terminates } from './gateway-api';
import { ISTIO_CHANGES, istioAtLeast } from '../istio/versions';

/**
 * The credential index: every place a workspace says what a Kubernetes TLS Secret will contain, and the resolution
 * of each Gateway server's `credentialName` against it. Sources, strongest first: an explicit `credentials:` entry
 * in .meshtls.yaml, Secret manifests and `kubectl create secret` lines, a folder named after the credential, and a
 * PKI tree in the mtls-go-example layout whose host is one of the server's hosts.
 */
export type SourceKind = 'config' | 'secret' | 'kubectl' | 'kustomize' | 'cert-manager' | 'folder' | 'pki-tree';

export interface MaterialRef {
  /** The Secret key the bytes land in (`cert`, `tls.key`, `cacert`, …). */
  key: string;
  /** File holding the bytes: a PEM file, or the YAML file of a Secret manifest. */
  fileId: string;
  /** A short description for messages: a path, or `Secret ns/name key "tls.crt"`. */
  label: string;
  /** Where the source names this material (a --from-file path, a Secret data value, a folder file). */
  mention: Span;
  /** undefined when the referenced file is not in the workspace or the value cannot be decoded. */
  bytes: Uint8Array | undefined;
  /** True when the bytes sit inside a YAML Secret (offsets in blocks are then relative to the decoded value). */
  inline: boolean;
  /** Why bytes are missing, for messages. */
  missing?: string;
}

export interface PkiTree {
  /** The folder holding 1_root … 4_client. */
  dir: string;
  host: string;
  cert: string;
  key: string;
  caChain: string;
  rootCert: string;
  intermediateCert: string;
  clients: { cert: string; key: string }[];
}

export interface CredentialSource {
  kind: SourceKind;
  /**
   * The Kubernetes object the source creates: a Secret (every source but these), or a ConfigMap (manifests and
   * `kubectl create configmap` lines), which only Gateway API client-CA refs read.
   */
  object?: 'ConfigMap';
  name: string;
  /** undefined when the source does not fix it (a kubectl line without -n, a Secret without metadata.namespace). */
  namespace: string | undefined;
  /** Where the source is declared: the kubectl line, the Secret's metadata.name, the folder's first file. */
  origin: Span;
  description: string;
  entries: Map<string, MaterialRef>;
  tree?: PkiTree;
  secretType?: string;
  /** For a kustomize generator: the generator, whose build name and hash suffix the name checks read. */
  generated?: GeneratedObject;
}

export interface CredentialIndex {
  sources: CredentialSource[];
  byName: Map<string, CredentialSource[]>;
  trees: PkiTree[];
  /** True when the workspace holds any credential material at all; without it nothing can be resolved. */
  hasMaterial: boolean;
  /** True when a kustomization generates Secrets or ConfigMaps (messages then say they were searched too). */
  hasGenerators: boolean;
  /** What resolving a name in a namespace searched (see lookedFor), filled as names are resolved. */
  looked: Map<string, string[]>;
}

const TREE_CERT = /^(?:(.*)\/)?3_application\/certs\/([^/]+)\.cert\.pem$/;
const FOLDER_KEYS: Record<string, string> = {
  'tls.crt': 'tls.crt',
  'tls.key': 'tls.key',
  'ca.crt': 'ca.crt',
  'ca.crl': 'ca.crl',
  cert: 'cert',
  key: 'key',
  cacert: 'cacert',
  crl: 'crl',
  'cert.pem': 'cert',
  'key.pem': 'key',
  'cacert.pem': 'cacert',
};
export const SCRIPT = /\.(sh|bash|zsh|md|markdown|txt)$|(^|\/)(Makefile|makefile|GNUmakefile)$/;
const PEM_LIKE = /\.(pem|crt|cer|key|der)$|(^|\/)(cert|key|cacert|crl)$/;

/** kubectl lines per file entry: an entry object is replaced whenever its file changes. */
const kubectlCache = new WeakMap<OtherFileEntry, KubectlSecret[]>();
/**
 * What the credential index is built from: Secret and ConfigMap manifests, documents that define no modelled resource
 * (cert-manager Certificates, kustomizations with their secretGenerators, a .meshtls.yaml in the workspace), non-YAML
 * files and the config. Keying the cache on these (not on the whole index's version) keeps a keystroke in a
 * VirtualService from rebuilding it.
 */
interface IndexKey {
  kinds: string;
  other: number;
  config: MeshtlsConfig;
}

const cache = new WeakMap<WorkspaceIndex, { key: IndexKey; version: number; value: CredentialIndex }>();

/** The credential index of a workspace, recomputed only when what it is built from changes. */
export function credentialIndex(index: WorkspaceIndex, config: MeshtlsConfig): CredentialIndex {
  const hit = cache.get(index);
  if (hit && hit.version === index.version && hit.key.config === config) return hit.value;
  // ConfigMaps hold Gateway API client CAs, so they are part of what the index is built from.
  const key: IndexKey = { kinds: ['Secret', 'ConfigMap', UNTYPED_DOCUMENTS].map((k) => index.kindVersion(k)).join(','), other: index.otherFilesVersion, config };
  if (hit && hit.key.kinds === key.kinds && hit.key.other === key.other && hit.key.config === config) {
    hit.version = index.version;
    return hit.value;
  }
  const value = buildCredentialIndex(index, config);
  cache.set(index, { key, version: index.version, value });
  return value;
}

function fileRef(index: WorkspaceIndex, key: string, path: string, mention: Span, dynamic = false): MaterialRef {
  const f = index.otherFiles.get(path);
  const ref: MaterialRef = { key, fileId: path, label: path, mention, bytes: f?.bytes, inline: false };
  if (dynamic) ref.missing = 'contains a variable meshtls cannot expand';
  else if (!f) ref.missing = 'is not in the workspace';
  return ref;
}

function buildCredentialIndex(index: WorkspaceIndex, config: MeshtlsConfig): CredentialIndex {
  const sources: CredentialSource[] = [];
  let hasMaterial = false;

  // Explicit mapping in .meshtls.yaml.
  const configDir = config.configDir ?? '.';
  const configFile = config.configFile ?? join(configDir, '.meshtls.yaml');
  // When the config file is part of the workspace (it is a YAML file), findings point at the entry's own lines.
  const configDoc = index.yamlFiles.get(configFile)?.docs[0];
  const at = (path: (string | number)[], which: 'key' | 'value'): Span => (configDoc ? { fileId: configFile, ...spanOf(configDoc, path, which) } : { fileId: configFile, start: 0, end: 0 });
  for (const [name, files] of Object.entries(config.credentials)) {
    const origin = at(['credentials', name], 'key');
    const entries = new Map<string, MaterialRef>();
    for (const key of ['cert', 'key', 'cacert'] as const) {
      const p = files[key];
      if (typeof p === 'string') entries.set(key, fileRef(index, key, join(configDir, p), at(['credentials', name, key], 'value')));
    }
    sources.push({ kind: 'config', name, namespace: undefined, origin, description: `.meshtls.yaml credentials entry "${name}"`, entries });
    hasMaterial = true;
  }

  // kubectl lines in scripts, Makefiles and Markdown. A keyless --from-file that names no file may name a folder; the
  // files are grouped by folder once, on the first such line (scanning every file per line was 50,000 lines × 1,000
  // files).
  let byDir: Map<string, string[]> | undefined;
  const filesIn = (dir: string): readonly string[] => {
    if (!byDir) {
      byDir = new Map();
      for (const id of index.otherFiles.keys()) {
        const d = dirname(id);
        const list = byDir.get(d);
        if (list) list.push(id);
        else byDir.set(d, [id]);
      }
    }
    return byDir.get(dir) ?? [];
  };
  for (const f of index.otherFiles.values()) {
    if (!SCRIPT.test(f.id)) {
      if (PEM_LIKE.test(f.id)) hasMaterial = true;
      continue;
    }
    let found = kubectlCache.get(f);
    if (!found) kubectlCache.set(f, (found = findKubectlSecrets(f.id, bytesToText(f.bytes))));
    const dir = dirname(f.id);
    const description = `kubectl line in ${f.id}`;
    for (const k of found) {
      const entries = new Map<string, MaterialRef>();
      for (const file of k.files) {
        const path = join(dir, file.path);
        if (file.key === undefined && !file.dynamic && !index.otherFiles.has(path)) {
          // `--from-file=DIR` adds every file of the folder under its base name.
          for (const id of filesIn(path)) entries.set(basename(id), fileRef(index, basename(id), id, file.span));
          if (entries.size) continue;
        }
        const key = file.key ?? basename(file.path);
        entries.set(key, fileRef(index, key, path, file.span, file.dynamic));
      }
      // Built whole, without a spread for the ConfigMap case: a script can hold 160,000 of these lines.
      const source: CredentialSource = { kind: 'kubectl', name: k.name, namespace: k.namespace, origin: k.span, description, entries, secretType: k.type === 'tls' ? 'kubernetes.io/tls' : k.type === 'configmap' ? undefined : 'Opaque' };
      if (k.type === 'configmap') source.object = 'ConfigMap';
      sources.push(source);
      hasMaterial = true;
    }
  }

  // Secret manifests.
  for (const s of index.ofKind('Secret')) {
    const entries = new Map<string, MaterialRef>();
    for (const field of ['data', 'stringData'] as const) {
      const data = s.value[field];
      if (!isObject(data)) continue;
      for (const [key, v] of Object.entries(data)) {
        const mention = spanIn(s, [field, key]);
        const label = `Secret ${s.namespaceSet ? `${s.namespace}/` : ''}${s.name} key "${key}"`;
        let bytes: Uint8Array | undefined;
        let missing: string | undefined;
        if (typeof v !== 'string') missing = `is not a string (${field}.${key})`;
        else if (field === 'stringData') bytes = new TextEncoder().encode(v);
        else if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) missing = `is not valid base64 (${field}.${key})`;
        else bytes = base64ToBytes(v.replace(/\s+/g, ''));
        entries.set(key, { key, fileId: s.doc.fileId, label, mention, bytes, inline: true, missing });
      }
    }
    const t = s.value.type;
    sources.push({
      kind: 'secret',
      name: s.name,
      namespace: s.namespaceSet ? s.namespace : undefined,
      origin: spanIn(s, ['metadata', 'name']),
      description: `Secret manifest in ${s.doc.fileId}`,
      entries,
      secretType: typeof t === 'string' ? t : undefined,
    });
    hasMaterial = true;
  }

  // kustomize secretGenerator / configMapGenerator entries: the objects `kubectl apply -k` creates from files.
  for (const g of kustomizeGenerators(index)) {
    const entries = new Map<string, MaterialRef>();
    for (const file of g.files) entries.set(file.key, fileRef(index, file.key, file.path, file.span));
    for (const lit of g.literals) {
      entries.set(lit.key, { key: lit.key, fileId: g.fileId, label: `${g.object} generator "${g.name}" literal "${lit.key}"`, mention: lit.span, bytes: new TextEncoder().encode(lit.value), inline: true });
    }
    sources.push({
      kind: 'kustomize',
      ...(g.object === 'ConfigMap' ? { object: 'ConfigMap' as const } : {}),
      name: g.name,
      namespace: g.namespace,
      origin: g.nameSpan,
      description: `kustomize ${g.object === 'Secret' ? 'secretGenerator' : 'configMapGenerator'} in ${g.fileId}`,
      entries,
      secretType: g.object === 'Secret' ? g.type ?? 'Opaque' : undefined,
      generated: g,
    });
    if (g.object === 'Secret') hasMaterial = true;
  }

  // ConfigMap manifests: istiod reads only `data` (not binaryData) for a CA ref (`ExtractRootFromString`).
  for (const cm of index.ofKind('ConfigMap')) {
    const entries = new Map<string, MaterialRef>();
    const data = cm.value.data;
    if (isObject(data)) {
      for (const [key, v] of Object.entries(data)) {
        const label = `ConfigMap ${cm.namespaceSet ? `${cm.namespace}/` : ''}${cm.name} key "${key}"`;
        const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : undefined;
        entries.set(key, { key, fileId: cm.doc.fileId, label, mention: spanIn(cm, ['data', key]), bytes, inline: true, missing: bytes ? undefined : `is not a string (data.${key})` });
      }
    }
    sources.push({ kind: 'secret', object: 'ConfigMap', name: cm.name, namespace: cm.namespaceSet ? cm.namespace : undefined, origin: spanIn(cm, ['metadata', 'name']), description: `ConfigMap manifest in ${cm.doc.fileId}`, entries });
  }

  // cert-manager Certificates: the Secret `spec.secretName` will exist, but its contents are not in the workspace.
  for (const f of index.yamlFiles.values()) {
    if (!f.text.includes('cert-manager.io')) continue;
    for (const d of f.docs) {
      const v = d.value;
      if (!isObject(v) || v.kind !== 'Certificate' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('cert-manager.io/')) continue;
      const spec = isObject(v.spec) ? v.spec : {};
      const meta = isObject(v.metadata) ? v.metadata : {};
      if (typeof spec.secretName !== 'string') continue;
      const s = spanOf(d, ['spec', 'secretName']);
      sources.push({
        kind: 'cert-manager',
        name: spec.secretName,
        namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
        origin: { fileId: f.id, start: s.start, end: s.end },
        description: `cert-manager Certificate${typeof meta.name === 'string' ? ` "${meta.name}"` : ''} in ${f.id}`,
        entries: new Map(),
      });
      hasMaterial = true;
    }
  }

  // Folders named after a credential, holding tls.crt/tls.key/ca.crt or cert/key/cacert.
  const folders = new Map<string, Map<string, string>>();
  for (const id of index.otherFiles.keys()) {
    const key = FOLDER_KEYS[basename(id)];
    if (!key) continue;
    const dir = dirname(id);
    let m = folders.get(dir);
    if (!m) folders.set(dir, (m = new Map()));
    m.set(key, id);
  }
  for (const [dir, files] of folders) {
    const name = basename(dir);
    if (!name || name === '.' || !(files.has('cert') || files.has('tls.crt'))) continue;
    const first = [...files.values()].sort()[0];
    const origin: Span = { fileId: first, start: 0, end: 0 };
    const entries = new Map<string, MaterialRef>();
    for (const [key, id] of files) entries.set(key, fileRef(index, key, id, { fileId: id, start: 0, end: 0 }));
    sources.push({ kind: 'folder', name, namespace: undefined, origin, description: `folder ${dir}/`, entries });
  }

  // PKI trees in the mtls-go-example layout.
  const trees: PkiTree[] = [];
  // Client certificates by folder, gathered once: a scan of every file per tree took 5.5 s for 3,000 trees.
  let clientCerts: Map<string, string[]> | undefined;
  for (const id of index.otherFiles.keys()) {
    const m = TREE_CERT.exec(id);
    if (!m) continue;
    const dir = m[1] ?? '.';
    const host = m[2];
    const at = (p: string) => join(dir, p);
    const clients: PkiTree['clients'] = [];
    const clientDir = at('4_client/certs');
    if (!clientCerts) {
      clientCerts = new Map();
      for (const cid of index.otherFiles.keys()) if (cid.endsWith('.cert.pem')) pushTo(clientCerts, dirname(cid), cid);
    }
    for (const cid of clientCerts.get(clientDir) ?? []) {
      clients.push({ cert: cid, key: at(`4_client/private/${basename(cid).replace(/\.cert\.pem$/, '.key.pem')}`) });
    }
    trees.push({
      dir,
      host,
      cert: id,
      key: at(`3_application/private/${host}.key.pem`),
      caChain: at('2_intermediate/certs/ca-chain.cert.pem'),
      rootCert: at('1_root/certs/ca.cert.pem'),
      intermediateCert: at('2_intermediate/certs/intermediate.cert.pem'),
      clients,
    });
  }

  const byName = new Map<string, CredentialSource[]>();
  for (const s of sources) {
    pushTo(byName, s.name, s);
  }
  return { sources, byName, trees, hasMaterial, hasGenerators: sources.some((s) => s.kind === 'kustomize'), looked: new Map() };
}

/** A PKI tree seen as a credential source (cert, key and the chain as client CA). */
export function treeSource(index: WorkspaceIndex, tree: PkiTree, name: string): CredentialSource {
  const origin: Span = { fileId: tree.cert, start: 0, end: 0 };
  const entries = new Map<string, MaterialRef>();
  entries.set('cert', fileRef(index, 'cert', tree.cert, origin));
  entries.set('key', fileRef(index, 'key', tree.key, { fileId: tree.key, start: 0, end: 0 }));
  if (index.otherFiles.has(tree.caChain)) entries.set('cacert', fileRef(index, 'cacert', tree.caChain, { fileId: tree.caChain, start: 0, end: 0 }));
  return { kind: 'pki-tree', name, namespace: undefined, origin, description: `PKI tree ${tree.dir}/ for host "${tree.host}"`, entries, tree };
}

// ---------------------------------------------------------------------------------------------------------------
// Resolution of one Gateway server.

export type TlsMode = 'SIMPLE' | 'MUTUAL' | 'OPTIONAL_MUTUAL' | 'PASSTHROUGH' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | string;

export interface CredentialUse {
  /** The Istio Gateway, or the Gateway API Gateway / ListenerSet that declares the listener. */
  gateway: Resource;
  /**
   * The Istio server, or a Gateway API listener seen as one (its hostname as the only host, `*` when unset), so every
   * certificate check reads both the same way.
   */
  server: GatewayServer;
  /** Set for a Gateway API `certificateRefs` entry: the listener it belongs to. */
  listener?: Listener;
  /** The credential name as written (one entry of credentialNames, or credentialName). */
  raw: string;
  /** The Secret name after stripping `kubernetes://[ns/]`. */
  name: string;
  /** The span of the credentialName value, where findings sit. */
  span: Span;
  /** For a Gateway API listener under client validation: the span of the caCertificateRef name (hovers show the use). */
  caSpan?: Span;
  mode: TlsMode;
  /**
   * Where Istio reads the Secret: the namespace of the gateway pods for an Istio Gateway, the ref's namespace (by
   * default the Gateway's own) for a Gateway API certificateRef.
   */
  workloadNamespace: string;
  /** Namespace named in `kubernetes://ns/name`, if any. */
  explicitNamespace?: string;
  resolution: Resolution;
  /** True for the first entry of credentialNames (which also provides the client CA). */
  primary: boolean;
}

export interface Resolution {
  status: 'resolved' | 'unresolved' | 'wrong-namespace' | 'not-checked';
  /** Why a credential is not checked (builtin://, configmap://, a Gateway API reference). */
  note?: string;
  source?: CredentialSource;
  /** The source of the client CA: `<name>-cacert` when it exists, else `source`. */
  caSource?: CredentialSource;
  /** Namespaces where a source with this name exists but Istio will not look. */
  elsewhere: CredentialSource[];
  /** Human-readable places meshtls looked, for the unresolved message and the hover. */
  looked: string[];
  cert?: MaterialRef;
  key?: MaterialRef;
  ca?: MaterialRef;
  /** Which key layout the source uses, and what it has instead when neither. */
  layout: 'generic' | 'tls' | 'none';
  /** Client certificates expected to connect (4_client of the matching PKI tree). */
  clients: { cert: MaterialRef; key: MaterialRef }[];
}

function pickLayout(src: CredentialSource): { layout: Resolution['layout']; cert?: MaterialRef; key?: MaterialRef } {
  const e = src.entries;
  const nonEmpty = (k: string) => {
    const r = e.get(k);
    return r !== undefined && (r.bytes === undefined || r.bytes.length > 0);
  };
  // Istio prefers the generic pair when both are present and non-empty.
  if (nonEmpty('cert') && nonEmpty('key')) return { layout: 'generic', cert: e.get('cert'), key: e.get('key') };
  if (nonEmpty('tls.crt') && nonEmpty('tls.key')) return { layout: 'tls', cert: e.get('tls.crt'), key: e.get('tls.key') };
  return { layout: 'none' };
}

function caOf(src: CredentialSource | undefined): MaterialRef | undefined {
  if (!src) return undefined;
  const r = src.entries.get('cacert') ?? src.entries.get('ca.crt');
  return r && (r.bytes === undefined || r.bytes.length > 0) ? r : undefined;
}

const RANK: Record<SourceKind, number> = { config: 0, secret: 1, kubectl: 1, kustomize: 1, 'cert-manager': 1, folder: 2, 'pki-tree': 3 };

/**
 * The best source of a list (one `named` list) for a namespace, worked out once per list and namespace: thousands of
 * servers naming one credential each filtered and sorted all its sources (10,000 × 10,000 kubectl lines: seconds).
 * Callers must not modify `elsewhere`, which uses of the same name and namespace share.
 */
const bestCache = new WeakMap<CredentialSource[], Map<string, { hit?: CredentialSource; elsewhere: CredentialSource[] }>>();

function bestSource(list: CredentialSource[], ns: string): { hit?: CredentialSource; elsewhere: CredentialSource[] } {
  let byNs = bestCache.get(list);
  if (!byNs) bestCache.set(list, (byNs = new Map()));
  let best = byNs.get(ns);
  if (!best) byNs.set(ns, (best = computeBestSource(list, ns)));
  return best;
}

function computeBestSource(list: CredentialSource[] | undefined, ns: string): { hit?: CredentialSource; elsewhere: CredentialSource[] } {
  const usable = (list ?? []).filter((s) => s.namespace === undefined || s.namespace === ns);
  const elsewhere = (list ?? []).filter((s) => s.namespace !== undefined && s.namespace !== ns);
  usable.sort((a, b) => RANK[a.kind] - RANK[b.kind] || (a.namespace === ns ? -1 : 0) - (b.namespace === ns ? -1 : 0));
  return { hit: usable[0], elsewhere };
}

/** The PKI trees relevant for a server: the one its cert comes from, else those named after one of its hosts. */
export function treesFor(ci: CredentialIndex, hosts: string[], cert: MaterialRef | undefined): PkiTree[] {
  if (ci.trees.length === 0) return [];
  const lookup = treeLookup(ci);
  if (cert && !cert.inline) {
    let own = lookup.own.get(cert.fileId);
    if (!own) lookup.own.set(cert.fileId, (own = ownTrees(lookup, cert.fileId)));
    if (own.length) return own.map((i) => ci.trees[i]);
  }
  const at: number[] = [];
  for (const h of hosts) {
    // What sansCoverGatewayHost([tree host], [], h) === true asks, by lookups.
    const host = h.includes('/') ? h.slice(h.indexOf('/') + 1) : h;
    if (host === '*' || host === '' || /^[0-9.]+$/.test(host) || host.includes(':')) continue;
    const n = normHost(host);
    if (host.startsWith('*')) {
      for (const i of lookup.byName.get(n) ?? []) at.push(i);
      continue;
    }
    for (const i of lookup.plain.get(n) ?? []) at.push(i);
    const dot = n.indexOf('.');
    if (dot > 0) for (const i of lookup.wildcard.get(`*${n.slice(dot)}`) ?? []) at.push(i);
  }
  return [...new Set(at)].sort((a, b) => a - b).map((i) => ci.trees[i]);
}

/**
 * The trees of an index by host name and by folder: each server filtered every tree (12,000 servers × 3,000 trees:
 * 13 s). Positions in `ci.trees`, so answers keep the trees' order.
 */
interface TreeLookup {
  /** By normalised host name, wildcard or not. */
  byName: Map<string, number[]>;
  /** By normalised host name, for names without a `*`. */
  plain: Map<string, number[]>;
  /** By normalised wildcard name (`*.example.com`), for the wildcards sanMatchesHost honours. */
  wildcard: Map<string, number[]>;
  byCert: Map<string, number[]>;
  byDir: Map<string, number[]>;
  /** Per certificate file: the trees it comes from. */
  own: Map<string, number[]>;
}
const treeLookups = new WeakMap<CredentialIndex, TreeLookup>();

function normHost(h: string): string {
  return h.toLowerCase().replace(/\.$/, '');
}

function treeLookup(ci: CredentialIndex): TreeLookup {
  let l = treeLookups.get(ci);
  if (l) return l;
  l = { byName: new Map(), plain: new Map(), wildcard: new Map(), byCert: new Map(), byDir: new Map(), own: new Map() };
  ci.trees.forEach((t, i) => {
    const n = normHost(t.host);
    pushTo(l!.byName, n, i);
    if (!n.includes('*')) pushTo(l!.plain, n, i);
    else if (n.startsWith('*.') && n.indexOf('*', 1) < 0 && n.slice(1).split('.').length >= 3) pushTo(l!.wildcard, n, i);
    pushTo(l!.byCert, t.cert, i);
    pushTo(l!.byDir, t.dir, i);
  });
  treeLookups.set(ci, l);
  return l;
}

/** Trees whose cert is the file, or whose folder holds it (every prefix of the id up to a `/`). */
function ownTrees(l: TreeLookup, fileId: string): number[] {
  const at = [...(l.byCert.get(fileId) ?? [])];
  for (let i = fileId.indexOf('/'); i >= 0; i = fileId.indexOf('/', i + 1)) for (const t of l.byDir.get(fileId.slice(0, i)) ?? []) at.push(t);
  return [...new Set(at)].sort((a, b) => a - b);
}

/**
 * Sources that create a Secret (or, with `object`, a ConfigMap) of that name; one list per index, name and object (the
 * same array each time, so what is worked out from it can be kept).
 */
function named(ci: CredentialIndex, name: string, object?: 'ConfigMap'): CredentialSource[] {
  let byName = namedCache.get(ci);
  if (!byName) namedCache.set(ci, (byName = new Map()));
  const key = `${object ?? ''}\0${name}`;
  let list = byName.get(key);
  if (!list) byName.set(key, (list = ci.byName.get(name)?.filter((s) => s.object === object) ?? []));
  return list;
}
const namedCache = new WeakMap<CredentialIndex, Map<string, CredentialSource[]>>();
/** The `.meshtls.yaml` entry of a `named` list, if any. */
const configuredCache = new WeakMap<CredentialSource[], CredentialSource | null>();

function configuredOf(list: CredentialSource[]): CredentialSource | undefined {
  let hit = configuredCache.get(list);
  if (hit === undefined) configuredCache.set(list, (hit = list.find((s) => s.kind === 'config') ?? null));
  return hit ?? undefined;
}

/** The path of host `i` of a use's server inside its resource: a server's `hosts[i]`, a listener's `hostname`. */
export function hostPath(use: CredentialUse, i: number): PathSegment[] {
  if (use.listener) return [...use.listener.path, use.listener.hostname !== undefined ? 'hostname' : 'name'];
  return ['spec', 'servers', use.server.index, 'hosts', i];
}

const LOOKED_CONFIG = '.meshtls.yaml credentials';

/**
 * The places searched for a credential name in a namespace, as the unresolved message lists them. Shared by every
 * use of that name and namespace (thousands of Gateways may name one credential); callers must not modify the list.
 */
function lookedFor(ci: CredentialIndex, name: string, ns: string): string[] {
  const key = `${name}\0${ns}`;
  let list = ci.looked.get(key);
  if (!list) {
    list = [LOOKED_CONFIG, `Secret manifests${ci.hasGenerators ? ', kubectl lines and kustomize secretGenerators' : ' and kubectl lines'} for "${name}" in namespace "${ns}"`, `a folder named "${name}"`];
    ci.looked.set(key, list);
  }
  return list;
}

export function resolveCredential(
  index: WorkspaceIndex,
  config: MeshtlsConfig,
  args: { name: string; workloadNamespace: string; hosts: string[]; mode: TlsMode; caName?: string; caRef?: { kind: 'ConfigMap' | 'Secret'; name: string; namespace: string } },
): Resolution {
  const ci = credentialIndex(index, config);
  const { name, workloadNamespace: ns, hosts } = args;
  let looked: string[];
  let source: CredentialSource | undefined;
  let elsewhere: CredentialSource[] = [];
  const all = named(ci, name);
  const configured = configuredOf(all);
  if (configured) {
    source = configured;
    looked = [LOOKED_CONFIG];
  } else {
    looked = lookedFor(ci, name, ns);
    if (all.length) {
      const best = bestSource(all, ns);
      source = best.hit;
      elsewhere = best.elsewhere;
    }
  }
  // A PKI tree stands in only when nothing of that name exists: a Secret created in another namespace is the
  // credential, misplaced, and credential-wrong-namespace must say so rather than the tree hiding it.
  if (!source && elsewhere.length === 0) {
    const tree = ci.trees.length ? treesFor(ci, hosts, undefined)[0] : undefined;
    const hostList = hosts.filter((h) => h !== '*').map((h) => `"${h}"`).join(', ');
    if (hostList) looked = [...looked, `PKI trees for ${hostList}`];
    if (tree) source = treeSource(index, tree, name);
  }
  const clientsOf = (cert: MaterialRef | undefined) =>
    treesFor(ci, hosts, cert).flatMap((t) => t.clients.map((c) => ({ cert: fileRef(index, 'client cert', c.cert, { fileId: c.cert, start: 0, end: 0 }), key: fileRef(index, 'client key', c.key, { fileId: c.key, start: 0, end: 0 }) })));
  if (!source) {
    const status = elsewhere.length ? 'wrong-namespace' : 'unresolved';
    if (status === 'wrong-namespace') {
      const w = elsewhere[0];
      const { layout, cert, key } = pickLayout(w);
      return { status, source: w, elsewhere, looked, layout, cert, key, ca: caOf(w), clients: clientsOf(cert) };
    }
    return { status, elsewhere, looked, layout: 'none', clients: [] };
  }
  const { layout, cert, key } = pickLayout(source);
  // Client CA: a Gateway API caCertificateRef names it; otherwise `<name>-cacert` wins when it exists, else the same secret.
  let caSource: CredentialSource | undefined;
  if (args.caRef) {
    const ref = args.caRef;
    caSource = ref.kind === 'Secret' && config.credentials[ref.name] ? configuredOf(named(ci, ref.name)) : bestSource(named(ci, ref.name, ref.kind === 'ConfigMap' ? 'ConfigMap' : undefined), ref.namespace).hit;
  } else {
    const caName = args.caName ?? `${name}-cacert`;
    const caBest = source.kind === 'config' ? { hit: undefined } : bestSource(named(ci, caName), ns);
    caSource = caBest.hit ?? source;
  }
  const ca = caSource ? caOf(caSource) : undefined;
  const note = source.kind === 'cert-manager' ? 'cert-manager issues this Secret; its certificate is not in the workspace to check.' : undefined;
  return { status: 'resolved', note, source, caSource, elsewhere, looked, layout, cert, key, ca, clients: clientsOf(cert) };
}

const usesCache = new WeakMap<WorkspaceIndex, { gateways: string; credentials: CredentialIndex; config: MeshtlsConfig; value: CredentialUse[] }>();

/** Every credential reference of every Gateway server, resolved. Cached until a Gateway or the credential index changes. */
export function credentialUses(index: WorkspaceIndex, config: MeshtlsConfig): CredentialUse[] {
  // Gateway API uses also depend on ListenerSets and GatewayClasses.
  const gateways = ['Gateway', 'K8sGateway', 'ListenerSet', 'GatewayClass', 'Namespace'].map((k) => index.kindVersion(k)).join(',');
  const credentials = credentialIndex(index, config);
  const hit = usesCache.get(index);
  if (hit && hit.gateways === gateways && hit.credentials === credentials && hit.config === config) return hit.value;
  const out: CredentialUse[] = [];
  for (const gw of index.ofKind('Gateway')) {
    if (gw.doc.templated || gw.doc.errors.length) continue;
    const workloadNamespace = gatewayWorkloadNamespace(config, gatewaySelector(gw), gw.namespace);
    for (const server of gatewayServers(gw)) {
      const tls = server.tls;
      if (!tls) continue;
      const mode = typeof tls.mode === 'string' ? tls.mode : 'SIMPLE';
      if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' || mode === 'ISTIO_MUTUAL') continue;
      const refs: { raw: string; path: (string | number)[] }[] = [];
      if (typeof tls.credentialName === 'string' && tls.credentialName) refs.push({ raw: tls.credentialName, path: ['spec', 'servers', server.index, 'tls', 'credentialName'] });
      if (Array.isArray(tls.credentialNames)) {
        tls.credentialNames.forEach((n, i) => {
          if (typeof n === 'string' && n) refs.push({ raw: n, path: ['spec', 'servers', server.index, 'tls', 'credentialNames', i] });
        });
      }
      const caName = typeof tls.caCertCredentialName === 'string' && tls.caCertCredentialName ? tls.caCertCredentialName : undefined;
      refs.forEach((ref, i) => {
        const span = ref.path[4] === 'credentialName' ? credentialNameSpan(gw, server) : spanIn(gw, ref.path);
        const m = ref.raw.includes('://') ? /^([a-z-]+):\/\/(.*)$/.exec(ref.raw) : null;
        // Object literals rather than a spread of shared fields: one use per server, 20,000 Gateways make 20,000.
        if (m && m[1] !== 'kubernetes') {
          const resolution: Resolution = { status: 'not-checked', note: `${m[1]}:// credentials are not read from the workspace`, elsewhere: [], looked: [], layout: 'none', clients: [] };
          out.push({ gateway: gw, server, raw: ref.raw, span, mode, workloadNamespace, primary: i === 0, name: m[2], resolution });
          return;
        }
        let name = m ? m[2] : ref.raw;
        let explicitNamespace: string | undefined;
        if (m && name.includes('/')) {
          explicitNamespace = name.slice(0, name.indexOf('/'));
          name = name.slice(name.indexOf('/') + 1);
        }
        const resolution = resolveCredential(index, config, { name, workloadNamespace, hosts: server.hosts, mode, caName: i === 0 ? caName : undefined });
        out.push({ gateway: gw, server, raw: ref.raw, span, mode, workloadNamespace, primary: i === 0, name, explicitNamespace, resolution });
      });
    }
  }
  out.push(...listenerCredentialUses(index, config));
  usesCache.set(index, { gateways, credentials, config, value: out });
  return out;
}

/**
 * The certificateRefs of Gateway API listeners as credential uses. istiod reads them in the namespace of the ref
 * (by default the listener owner's: the Gateway's or the ListenerSet's — not the pods' namespace as for Istio
 * Gateways); Passthrough listeners and ISTIO_SIMPLE/ISTIO_MUTUAL terminate modes read none. The mode is SIMPLE,
 * MUTUAL when `spec.tls.frontend` validation applies (1.28+; OPTIONAL_MUTUAL for AllowInsecureFallback), and what a
 * MUTUAL/OPTIONAL_MUTUAL `tls-terminate-mode` option says last. The client CA is the caCertificateRef when there is
 * one, else (option only) the Secret's own `cacert`/`ca.crt` or `<name>-cacert`, as SDS looks it up.
 */
function listenerCredentialUses(index: WorkspaceIndex, config: MeshtlsConfig): CredentialUse[] {
  const out: CredentialUse[] = [];
  const owners = [...index.ofKind('K8sGateway'), ...index.ofKind('ListenerSet')];
  for (const owner of owners) {
    if (owner.doc.templated || owner.doc.errors.length) continue;
    const gw = owner.kind === 'ListenerSet' ? listenerSetParent(index, owner) : owner;
    if (gw && gatewayClassOwner(index, gw) === 'other') continue;
    // A ListenerSet its Gateway does not admit has no listener istiod builds, so none of its refs is read.
    if (owner.kind === 'ListenerSet' && listenerSetAdmission(index, owner).allowed === false) continue;
    for (const l of listenersOf(owner)) {
      if (!terminates(l)) continue;
      const option = tlsOptions(l).get(OPTION_TERMINATE_MODE)?.value;
      if (option === 'ISTIO_SIMPLE' || option === 'ISTIO_MUTUAL') continue;
      let mode: TlsMode = 'SIMPLE';
      let caRef: { kind: 'ConfigMap' | 'Secret'; name: string; namespace: string } | undefined;
      let caSpan: Span | undefined;
      const fv = gw && istioAtLeast(config.targetIstioVersion, ISTIO_CHANGES.frontendValidation) ? frontendValidation(gw, l.port) : undefined;
      if (fv && fv.refs.length === 1 && fv.refs[0].group === '' && (fv.refs[0].kind === 'ConfigMap' || fv.refs[0].kind === 'Secret')) {
        const r = fv.refs[0];
        // A namespace-less CA ref resolves in the listener owner's namespace (the ListenerSet's for its listeners).
        caRef = { kind: r.kind as 'ConfigMap' | 'Secret', name: r.name, namespace: r.namespace ?? owner.namespace };
        mode = fv.mode === 'AllowInsecureFallback' ? 'OPTIONAL_MUTUAL' : 'MUTUAL';
        caSpan = spanIn(fv.gateway, [...r.path, 'name']);
      }
      if (option === 'MUTUAL' || option === 'OPTIONAL_MUTUAL') mode = option;
      const server: GatewayServer = { index: l.index, port: { number: l.port, protocol: l.protocol, name: l.name }, hosts: [l.hostname ?? '*'], tls: l.tls, name: l.name };
      const refs = certificateRefs(l).filter((r) => r.group === '' && r.kind === 'Secret' && r.name);
      refs.forEach((ref, i) => {
        const ns = ref.namespace ?? owner.namespace;
        const resolution = resolveCredential(index, config, { name: ref.name, workloadNamespace: ns, hosts: server.hosts, mode, caRef: i === 0 ? caRef : undefined });
        out.push({ gateway: owner, server, listener: l, raw: ref.name, name: ref.name, span: spanIn(owner, [...ref.path, 'name']), ...(i === 0 && caSpan ? { caSpan } : {}), mode, workloadNamespace: ns, explicitNamespace: ref.namespace, resolution, primary: i === 0 });
      });
    }
  }
  return out;
}
