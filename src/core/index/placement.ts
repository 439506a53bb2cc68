import { pushTo } from '../collections';
import type { OtherFileEntry, RenderedResource, WorkspaceIndex, YamlFileEntry } from './workspace-index';
import type { MeshtlsConfig } from '../config';
import type { Resource } from '../istio/resource';
import { DEFAULT_NAMESPACE, isObject } from '../istio/resource';
import type { AppliedNamespace } from '../yaml/documents';
import { spanOf } from '../yaml/documents';
import { basename, dirname, join, normalize } from '../paths';
import { compileGlob } from '../glob';
import { bytesToText } from '../certs/pem';
import { findKubectlApplies, type KubectlApply } from './kubectl-apply';

/**
 * Where each resource is applied, and with what: the deployment model the cross-resource rules stand on.
 *
 * A **unit** is a set of files applied together. Peer-conflict rules (two Gateways binding one host, two mesh
 * VirtualServices for one host, …) compare resources of one unit only, because two files that are never applied
 * together cannot conflict. Reference rules (a VirtualService naming a Gateway, a subset, a credential) look across
 * the workspace. Units come from, strongest first: `.meshtls.yaml` `units:`, Kustomize (each kustomization that no
 * other kustomization includes), Helm charts, and plain folders. A plain folder is one unit unless two of its files
 * define the same kind/namespace/name: such a folder holds alternatives (tutorial steps, per-cluster variants), so
 * each of its files is a unit of its own.
 *
 * An **instance** (`Placed`) is a resource as a unit applies it: kustomize's `namespace:`/`namePrefix`/`nameSuffix`,
 * a `kubectl apply -n NS -f FILE` line (one instance per namespace), or a heredoc's `applyNamespace` decide its
 * namespace and name. Instances keep the document of their source, so every finding points at the source file.
 */
export type UnitKind = 'config' | 'kustomize' | 'helm' | 'folder' | 'file';

export interface Unit {
  /** Stable and unique: `kustomize:overlays/prod`, `folder:samples/httpbin`, `file:a/b.yaml`, `config:prod`. */
  id: string;
  kind: UnitKind;
  /** How a hover names it: `kustomization overlays/prod`, `folder samples/httpbin`, `.meshtls.yaml unit "prod"`. */
  label: string;
  /** The file that defines the unit (kustomization, Chart.yaml), when there is one. */
  fileId?: string;
  /**
   * Kinds whose renames kustomize carries into Istio references for this unit, because a `configurations:` file
   * declares a nameReference for them (Gateway → VirtualService `spec/gateways`, Secret → Gateway `credentialName`).
   */
  nameReferences?: Set<string>;
}

export interface Placed extends Resource {
  unit: Unit;
  /** The resource as its document defines it. */
  source: Resource;
  /** Where the namespace comes from when metadata.namespace does not set it (or a kustomization overrides it). */
  nsFrom?: AppliedNamespace;
  /**
   * False when nothing says where the resource lands (no metadata.namespace, `kubectl -n`, kustomization namespace):
   * `default` is then only a guess, and references that depend on it are judged leniently.
   */
  nsKnown: boolean;
  /** kustomize's namePrefix/nameSuffix applied to the name, and the kustomization that applies them. */
  renamed?: { prefix: string; suffix: string; fileId: string };
}

export interface Placement {
  units: Unit[];
  /** Every instance, sorted by file, position, then unit. */
  instances: Placed[];
  /** Instances of each document resource (none for kustomize patches and kustomization files). */
  ofResource: Map<Resource, Placed[]>;
  /** Files a kustomization names as patches: fragments, never resources on their own. */
  fragments: Map<string, string>;
  /** Kustomization files (not Istio resources themselves). */
  kustomizations: Set<string>;
  /** Helm chart folders (`Chart.yaml` file id → folder). */
  charts: Map<string, string>;
  /** Files that live inside a Helm chart folder. */
  chartOf: Map<string, string>;
  /** Per file, the spans of fields a kustomization's `replacements` fill at build time: placeholders until rendered. */
  buildFilled: Map<string, { start: number; end: number }[]>;
  /**
   * Changes only when the placement is computed afresh (units, namespaces or names may have changed). Between
   * epochs an edit only replaces the instances of the documents it touched, so the instances of a kind are unchanged
   * as long as the epoch and `WorkspaceIndex.kindVersion(kind)` are.
   */
  epoch: number;
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const CHART = /(^|\/)Chart\.ya?ml$/;
const SCRIPT = /\.(sh|bash|zsh|md|markdown|txt)$|(^|\/)(Makefile|makefile|GNUmakefile)$/;
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|\?ref=|^git@/i;

interface Kustomization {
  fileId: string;
  dir: string;
  namespace?: AppliedNamespace;
  prefix: string;
  suffix: string;
  files: string[];
  dirs: string[];
  deletes: { kind: string; name: string }[];
  /** `replacements` targets: the fields kustomize writes into the selected resources. */
  fills: { kind?: string; name?: string; paths: (string | number)[][] }[];
  nameReferences: Set<string>;
}

interface Item {
  r: Resource;
  ns?: string;
  nsFrom?: AppliedNamespace;
  prefix: string;
  suffix: string;
  renamedBy?: string;
}

/**
 * What the last placement of an index was computed from. The placement reads the workspace's *shape* (which files
 * exist, which resources they define under which kind, name and namespace, the kustomizations, charts and patches,
 * the scripts' kubectl lines, the real builds), not the resources' contents: an edit that keeps the shape (a route's
 * timeout, a server's port) keeps every unit, namespace and name, and only the edited documents' instances are
 * rebuilt.
 */
interface PlacementState {
  version: number;
  config: MeshtlsConfig;
  placement: Placement;
  /** The YAML file entries, in index order, the placement was computed or last patched from. */
  files: YamlFileEntry[];
  /** Files a kustomization read beyond the shape (its `configurations:`), with the entry it read. */
  readFiles: Map<string, YamlFileEntry | undefined>;
  otherVersion: number;
  /** The script entries whose kubectl lines gave namespaces. */
  scripts: OtherFileEntry[];
  renderedVersion: number;
  /** False when a kustomization's `replacements` fill fields: their spans depend on the documents' text. */
  patchable: boolean;
}

const cache = new WeakMap<WorkspaceIndex, PlacementState>();
const applyCache = new WeakMap<object, KubectlApply[]>();
const shapeCache = new WeakMap<YamlFileEntry, string>();
let epochs = 0;

/** The placement for the index as it is now; computed once per index version and configuration. */
export function placementOf(index: WorkspaceIndex, config: MeshtlsConfig): Placement {
  const hit = cache.get(index);
  if (hit && hit.version === index.version && hit.config === config) return hit.placement;
  const patched = hit && hit.config === config ? patchPlacement(index, hit) : undefined;
  if (patched) return patched;
  const readFiles = new Map<string, YamlFileEntry | undefined>();
  const placement = computePlacement(index, config, readFiles);
  cache.set(index, {
    version: index.version,
    config,
    placement,
    files: [...index.yamlFiles.values()],
    readFiles,
    otherVersion: index.otherFilesVersion,
    scripts: scriptsOf(index),
    renderedVersion: index.renderedVersion,
    patchable: placement.buildFilled.size === 0,
  });
  return placement;
}

function scriptsOf(index: WorkspaceIndex): OtherFileEntry[] {
  const out: OtherFileEntry[] = [];
  for (const f of index.otherFiles.values()) if (SCRIPT.test(f.id)) out.push(f);
  return out;
}

/**
 * Everything computePlacement reads from a file besides its resources' contents. Kustomizations, charts and patch
 * files are read whole; any other file by the kind, name, namespace and position of its resources.
 */
function shapeOf(f: YamlFileEntry): string {
  let s = shapeCache.get(f);
  if (s !== undefined) return s;
  if (KUSTOMIZATION.test(f.id) || CHART.test(f.id) || f.text.includes('$patch')) s = `text\0${f.text}`;
  else {
    s = JSON.stringify(
      f.resources.map((r) => {
        const meta = r.value.metadata;
        const ownNs = isObject(meta) && typeof meta.namespace === 'string' && meta.namespace !== '';
        const a = r.doc.applyNamespace;
        return [r.kind, r.name, r.namespace, r.namespaceSet, ownNs, r.doc.index, r.path, a ? [a.namespace, a.fileId, a.start, a.end, a.via] : null];
      }),
    );
  }
  shapeCache.set(f, s);
  return s;
}

/**
 * The new placement when the workspace kept its shape since `state` (see PlacementState): the same units and
 * instances, with the instances of edited documents rebuilt from their new resources. Undefined when anything the
 * shape covers changed, and the placement must be computed afresh.
 */
function patchPlacement(index: WorkspaceIndex, state: PlacementState): Placement | undefined {
  if (!state.patchable || state.renderedVersion !== index.renderedVersion || index.yamlFiles.size !== state.files.length) return undefined;
  if (state.otherVersion !== index.otherFilesVersion) {
    const scripts = scriptsOf(index);
    if (scripts.length !== state.scripts.length || scripts.some((f, i) => f !== state.scripts[i])) return undefined;
  }
  for (const [id, entry] of state.readFiles) if (index.yamlFiles.get(id) !== entry) return undefined;
  const remap = new Map<Resource, Resource>();
  const files: YamlFileEntry[] = [];
  let i = 0;
  for (const f of index.yamlFiles.values()) {
    const before = state.files[i++];
    files.push(f);
    if (f === before) continue;
    if (f.id !== before.id || shapeOf(f) !== shapeOf(before)) return undefined;
    // Same shape: the same number of resources in the same order; unchanged documents keep their Resource objects.
    for (let j = 0; j < f.resources.length; j++) if (f.resources[j] !== before.resources[j]) remap.set(before.resources[j], f.resources[j]);
  }
  const old = state.placement;
  let placement = old;
  if (remap.size > 0) {
    const instances = old.instances.map((p) => {
      const r = remap.get(p.source);
      if (!r) return p;
      const nsFrom = p.nsFrom !== undefined && p.nsFrom === p.source.doc.applyNamespace ? r.doc.applyNamespace : p.nsFrom;
      return placed(r, { unit: p.unit, namespace: p.namespace, nsKnown: p.nsKnown, name: p.name, nsFrom, renamed: p.renamed });
    });
    placement = { ...old, instances, ofResource: instancesByResource(instances) };
  }
  state.version = index.version;
  state.placement = placement;
  state.files = files;
  state.otherVersion = index.otherFilesVersion;
  return placement;
}

/**
 * A placed instance of `r`. Written out field by field: spreading a Resource took 25 µs per instance (46 ms for the
 * 1,790 resources of a 50k-line workspace), this takes well under one.
 */
function placed(r: Resource, p: Pick<Placed, 'unit' | 'namespace' | 'nsKnown' | 'name' | 'nsFrom' | 'renamed'>): Placed {
  return {
    kind: r.kind,
    apiVersion: r.apiVersion,
    group: r.group,
    version: r.version,
    name: p.name,
    namespace: p.namespace,
    namespaceSet: r.namespaceSet,
    doc: r.doc,
    path: r.path,
    value: r.value,
    spec: r.spec,
    nsKnown: p.nsKnown,
    unit: p.unit,
    source: r,
    nsFrom: p.nsFrom,
    renamed: p.renamed,
  };
}

function instancesByResource(instances: Placed[]): Map<Resource, Placed[]> {
  const ofResource = new Map<Resource, Placed[]>();
  for (const p of instances) {
    pushTo(ofResource, p.source, p);
  }
  return ofResource;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function readKustomization(file: YamlFileEntry, index: WorkspaceIndex, fragments: Map<string, string>, deletesByFile: Map<string, { kind: string; name: string }[]>, readFiles: Map<string, YamlFileEntry | undefined>): Kustomization | undefined {
  const d = file.docs[0];
  if (!d || !isObject(d.value)) return undefined;
  const v = d.value;
  const dir = dirname(file.id);
  const k: Kustomization = { fileId: file.id, dir, prefix: str(v.namePrefix) ?? '', suffix: str(v.nameSuffix) ?? '', files: [], dirs: [], deletes: [], fills: [], nameReferences: new Set() };
  for (const c of strings(v.configurations)) {
    const conf = index.yamlFiles.get(join(dir, c));
    readFiles.set(join(dir, c), conf);
    const cv = conf?.docs[0]?.value;
    if (!isObject(cv) || !Array.isArray(cv.nameReference)) continue;
    for (const ref of cv.nameReference) {
      if (!isObject(ref) || typeof ref.kind !== 'string' || !Array.isArray(ref.fieldSpecs)) continue;
      const paths = ref.fieldSpecs.map((f) => (isObject(f) && typeof f.path === 'string' ? f.path : ''));
      if ((ref.kind === 'Gateway' && paths.some((p) => p.includes('gateways'))) || (ref.kind === 'Secret' && paths.some((p) => p.includes('credentialName')))) k.nameReferences.add(ref.kind);
    }
  }
  for (const rep of Array.isArray(v.replacements) ? v.replacements : []) {
    if (!isObject(rep) || !Array.isArray(rep.targets)) continue;
    for (const t of rep.targets) {
      if (!isObject(t)) continue;
      const select = isObject(t.select) ? t.select : {};
      // Only plain dotted paths (`spec.http.0.route.0.destination.host`); `[name=x]` selectors are left alone.
      const paths = strings(t.fieldPaths)
        .filter((fp) => /^[\w.-]+$/.test(fp))
        .map((fp) => fp.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg)));
      if (paths.length) k.fills.push({ kind: str(select.kind), name: str(select.name), paths });
    }
  }
  const ns = str(v.namespace);
  if (ns) {
    const s = spanOf(d, ['namespace']);
    k.namespace = { namespace: ns, fileId: file.id, start: s.start, end: s.end, via: 'kustomization namespace' };
  }
  for (const entry of [...strings(v.resources), ...strings(v.bases), ...strings(v.components)]) {
    if (REMOTE.test(entry)) continue;
    const p = join(dir, entry);
    if (index.yamlFiles.has(p)) k.files.push(p);
    else k.dirs.push(p);
  }
  const patchFiles: string[] = [];
  for (const p of Array.isArray(v.patches) ? v.patches : []) if (isObject(p) && str(p.path)) patchFiles.push(p.path as string);
  for (const p of Array.isArray(v.patchesJson6902) ? v.patchesJson6902 : []) if (isObject(p) && str(p.path)) patchFiles.push(p.path as string);
  // patchesStrategicMerge entries are paths or inline YAML; only a one-line entry can be a path.
  for (const p of strings(v.patchesStrategicMerge)) if (!p.includes('\n')) patchFiles.push(p);
  for (const p of patchFiles) {
    const id = join(dir, p);
    if (!index.yamlFiles.has(id)) continue;
    fragments.set(id, file.id);
    // A strategic-merge patch holding `$patch: delete` removes the resource it names from the build.
    for (const del of deletesByFile.get(id) ?? []) k.deletes.push(del);
  }
  return k;
}

function patchDeletes(file: YamlFileEntry): { kind: string; name: string }[] {
  const out: { kind: string; name: string }[] = [];
  for (const d of file.docs) {
    const v = d.value;
    if (!isObject(v) || v.$patch !== 'delete' || typeof v.kind !== 'string') continue;
    const name = isObject(v.metadata) ? str(v.metadata.name) : undefined;
    if (name) out.push({ kind: v.kind, name });
  }
  return out;
}

function computePlacement(index: WorkspaceIndex, config: MeshtlsConfig, readFiles: Map<string, YamlFileEntry | undefined>): Placement {
  const fragments = new Map<string, string>();
  const kustomizations = new Set<string>();
  const charts = new Map<string, string>();
  const chartOf = new Map<string, string>();
  const buildFilled = new Map<string, { start: number; end: number }[]>();
  const units: Unit[] = [];
  const instances: Placed[] = [];
  const seen = new Set<string>();
  const place = (r: Resource, unit: Unit, ns: string | undefined, nsFrom: AppliedNamespace | undefined, name = r.name, renamed?: Placed['renamed']) => {
    const key = `${unit.id}\0${r.doc.fileId}\0${r.doc.index}\0${r.path.join('.')}\0${ns}\0${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    instances.push(placed(r, { namespace: ns ?? DEFAULT_NAMESPACE, nsKnown: ns !== undefined, name, unit, nsFrom, renamed }));
  };

  // Kustomizations, their patches, and the kustomizations other kustomizations include.
  const deletesByFile = new Map<string, { kind: string; name: string }[]>();
  for (const f of index.yamlFiles.values()) {
    if (KUSTOMIZATION.test(f.id)) kustomizations.add(f.id);
    else if (CHART.test(f.id)) charts.set(f.id, dirname(f.id));
    else if (f.text.includes('$patch')) deletesByFile.set(f.id, patchDeletes(f));
  }
  const kustByDir = new Map<string, Kustomization>();
  for (const id of [...kustomizations].sort()) {
    const k = readKustomization(index.yamlFiles.get(id)!, index, fragments, deletesByFile, readFiles);
    if (k && !kustByDir.has(k.dir)) kustByDir.set(k.dir, k);
  }
  const included = new Set<string>();
  for (const k of kustByDir.values()) for (const d of k.dirs) if (kustByDir.has(d)) included.add(d);

  // Files claimed by a stronger unit source are not placed again by a weaker one.
  const claimed = new Set<string>();
  const configUnits = unitsFromConfig(index, config, kustomizations, fragments);
  for (const { unit, files } of configUnits) {
    units.push(unit);
    for (const id of files) {
      claimed.add(id);
      for (const r of index.yamlFiles.get(id)!.resources) place(r, unit, ownNamespace(r), fromCommand(r));
    }
  }

  const nameRefsOf = (k: Kustomization, stack: Set<string>, out: Set<string>): Set<string> => {
    if (stack.has(k.dir)) return out;
    stack.add(k.dir);
    for (const kind of k.nameReferences) out.add(kind);
    for (const d of k.dirs) {
      const child = kustByDir.get(d);
      if (child) nameRefsOf(child, stack, out);
    }
    return out;
  };
  // Each kustomization is expanded once per build: a base reached again through another path (a diamond) gets a copy
  // of its items, which the parents then change. Unless a cycle was cut below it (then the answer depends on the path).
  let memo = new Map<string, Item[]>();
  let cycleCuts = 0;
  const expand = (k: Kustomization, stack: Set<string>): Item[] => {
    if (stack.has(k.dir)) {
      cycleCuts++;
      return [];
    }
    const done = memo.get(k.dir);
    if (done) return done.map((it) => ({ ...it }));
    const cutsBefore = cycleCuts;
    const items = expandOnce(k, stack);
    if (cycleCuts === cutsBefore) memo.set(k.dir, items.map((it) => ({ ...it })));
    return items;
  };
  const expandOnce = (k: Kustomization, stack: Set<string>): Item[] => {
    stack.add(k.dir);
    let items: Item[] = [];
    for (const id of k.files) if (!fragments.has(id)) for (const r of index.yamlFiles.get(id)!.resources) items.push({ r, prefix: '', suffix: '' });
    // A base reached twice (a diamond: two overlays of one base, included together) gives the same resources again;
    // each copy that comes out the same (same name, prefix, suffix and namespace) is kept once, as placing it would.
    // Without this, 22 layers of diamonds made 4 million copies and overflowed the stack.
    let copies: Map<Resource, Item[]> | undefined;
    for (const d of k.dirs) {
      const child = kustByDir.get(d);
      if (!child) continue;
      for (const it of expand(child, stack)) {
        copies ??= new Map(items.map((x) => [x.r, [x]]));
        const same = copies.get(it.r);
        if (same?.some((x) => x.prefix === it.prefix && x.suffix === it.suffix && x.ns === it.ns)) continue;
        if (same) same.push(it);
        else copies.set(it.r, [it]);
        items.push(it);
      }
    }
    stack.delete(k.dir);
    // The items each replacement selects, and those a `$patch: delete` removes, are looked up by kind and name: a scan
    // of every item per target (or per delete) took over a minute for 6,000 targets and 180,000 resources.
    const selected = k.fills.length ? selectorIndex(items) : undefined;
    for (const fill of k.fills) {
      for (const i of selected!.select(fill.kind, fill.name)) {
        const it = items[i];
        let list = buildFilled.get(it.r.doc.fileId);
        if (!list) buildFilled.set(it.r.doc.fileId, (list = []));
        for (const path of fill.paths) list.push(spanOf(it.r.doc, [...it.r.path, ...path]));
      }
    }
    if (k.deletes.length) {
      const deleted = new Map<string, Set<string>>();
      for (const del of k.deletes) {
        let names = deleted.get(del.kind);
        if (!names) deleted.set(del.kind, (names = new Set()));
        names.add(del.name);
      }
      items = items.filter((it) => !deleted.get(it.r.kind)?.has(it.prefix + it.r.name + it.suffix));
    }
    for (const it of items) {
      if (it.r.kind === 'Namespace') continue;
      if (k.namespace) {
        it.ns = k.namespace.namespace;
        it.nsFrom = k.namespace;
      }
      if (k.prefix || k.suffix) {
        it.prefix = k.prefix + it.prefix;
        it.suffix += k.suffix;
        it.renamedBy = k.fileId;
      }
    }
    return items;
  };
  for (const k of [...kustByDir.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))) {
    if (included.has(k.dir)) continue;
    const unit: Unit = { id: `kustomize:${k.dir}`, kind: 'kustomize', label: `kustomization ${k.dir === '.' ? './' : `${k.dir}/`}`, fileId: k.fileId, nameReferences: nameRefsOf(k, new Set(), new Set()) };
    units.push(unit);
    // Reading the kustomization also records the fields its replacements fill, which a real build needs too.
    memo = new Map();
    const items = expand(k, new Set());
    const build = index.rendered.get(k.fileId);
    if (build?.resources) {
      placeRendered(build.resources, unit, k);
      continue;
    }
    for (const it of items) {
      if (claimed.has(it.r.doc.fileId)) continue;
      const ns = it.ns ?? ownNamespace(it.r);
      const nsFrom = it.nsFrom ?? fromCommand(it.r);
      const renamed = it.renamedBy ? { prefix: it.prefix, suffix: it.suffix, fileId: it.renamedBy } : undefined;
      place(it.r, unit, ns, nsFrom, it.prefix + it.r.name + it.suffix, renamed);
    }
  }
  // A real build decides names and namespaces; each output resource is mapped back to the document it came from.
  function placeRendered(resources: RenderedResource[], unit: Unit, k: Kustomization): void {
    const from: AppliedNamespace | undefined = undefined;
    for (const out of resources) {
      const file = index.yamlFiles.get(out.file);
      if (!file || claimed.has(out.file)) continue;
      // The source is the document of that kind whose name the build kept inside the new one (prefix/suffix).
      let src: Resource | undefined;
      for (const r of file.resources) if (r.kind === out.kind && out.name.includes(r.name) && (!src || r.name.length > src.name.length)) src = r;
      if (!src) continue;
      const at = out.name.indexOf(src.name);
      const renamed = out.name !== src.name ? { prefix: out.name.slice(0, at), suffix: out.name.slice(at + src.name.length), fileId: k.fileId } : undefined;
      const nsFrom = out.namespace !== undefined && !src.namespaceSet ? { namespace: out.namespace, fileId: k.fileId, start: 0, end: 0, via: 'kustomize build' } : from;
      place(src, unit, out.namespace, nsFrom, out.name, renamed);
    }
  }
  for (const p of instances) if (p.unit.kind === 'kustomize') claimed.add(p.source.doc.fileId);

  // Helm charts: every file under a chart folder belongs to the chart.
  const chartDirs = [...charts.values()].sort((a, b) => b.length - a.length);
  const chartUnits = new Map<string, Unit>();
  for (const [chartFile, dir] of charts) chartUnits.set(dir, { id: `helm:${dir}`, kind: 'helm', label: `Helm chart ${dir}/`, fileId: chartFile });
  for (const f of index.yamlFiles.values()) {
    const dir = chartDirs.find((c) => c === '.' || f.id.startsWith(`${c}/`));
    if (dir !== undefined) chartOf.set(f.id, dir);
  }

  // kubectl lines give namespaces to the plain files they name.
  const applied = appliedNamespaces(index);

  // Plain folders: one unit per folder, or per file when the folder holds alternatives.
  const byFolder = new Map<string, YamlFileEntry[]>();
  for (const f of index.yamlFiles.values()) {
    if (claimed.has(f.id) || kustomizations.has(f.id) || fragments.has(f.id) || charts.has(f.id) || f.resources.length === 0) continue;
    const chart = chartOf.get(f.id);
    if (chart !== undefined) {
      const unit = chartUnits.get(chart)!;
      for (const r of f.resources) placeAll(r, unit);
      continue;
    }
    const dir = dirname(f.id);
    pushTo(byFolder, dir, f);
  }
  function placeAll(r: Resource, unit: Unit): void {
    const own = ownNamespace(r);
    if (own !== undefined) return place(r, unit, own, fromCommand(r));
    const lines = applied.get(r.doc.fileId);
    if (!lines || lines.length === 0) return place(r, unit, undefined, undefined);
    for (const a of lines) place(r, unit, a.namespace, a.namespace === undefined ? undefined : a);
  }
  for (const u of chartUnits.values()) units.push(u);
  for (const [dir, files] of byFolder) {
    if (holdsAlternatives(files)) {
      for (const f of files) {
        const unit: Unit = { id: `file:${f.id}`, kind: 'file', label: `file ${basename(f.id)} (its folder holds alternatives)` };
        units.push(unit);
        for (const r of f.resources) placeAll(r, unit);
      }
    } else {
      const unit: Unit = { id: `folder:${dir}`, kind: 'folder', label: `folder ${dir === '.' ? './' : `${dir}/`}` };
      units.push(unit);
      for (const f of files) for (const r of f.resources) placeAll(r, unit);
    }
  }

  const pos = (r: Resource) => (typeof r.path[1] === 'number' ? r.path[1] : -1);
  instances.sort((a, b) => {
    const fa = a.doc.fileId;
    const fb = b.doc.fileId;
    if (fa !== fb) return fa < fb ? -1 : 1;
    return a.doc.index - b.doc.index || pos(a) - pos(b) || (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0);
  });
  return { units, instances, ofResource: instancesByResource(instances), fragments, kustomizations, charts, chartOf, buildFilled, epoch: ++epochs };
}

/**
 * The positions of the items a replacement target selects (by kind, and by name as written or as renamed so far), in
 * item order: the items of that name, or of that kind, or all of them.
 */
function selectorIndex(items: Item[]): { select(kind: string | undefined, name: string | undefined): Iterable<number> } {
  let byName: Map<string, number[]> | undefined;
  let byKind: Map<string, number[]> | undefined;
  return {
    select(kind, name) {
      if (name) {
        if (!byName) {
          byName = new Map();
          items.forEach((it, i) => {
            pushTo(byName!, it.r.name, i);
            const full = it.prefix + it.r.name + it.suffix;
            if (full !== it.r.name) pushTo(byName!, full, i);
          });
        }
        const at = byName.get(name) ?? [];
        return kind ? at.filter((i) => items[i].r.kind === kind) : at;
      }
      if (kind) {
        if (!byKind) {
          byKind = new Map();
          items.forEach((it, i) => pushTo(byKind!, it.r.kind, i));
        }
        return byKind.get(kind) ?? [];
      }
      return items.keys();
    },
  };
}

/** metadata.namespace, else the namespace a heredoc's command gives the document; undefined when neither says. */
/**
 * The command that gives a resource its namespace (a heredoc's `kubectl apply -n`), when metadata.namespace does
 * not. `namespaceSet` is true in both cases (the namespace is fixed either way), so the metadata is read here.
 */
function fromCommand(r: Resource): AppliedNamespace | undefined {
  const meta = r.value.metadata;
  return r.doc.applyNamespace && !(isObject(meta) && typeof meta.namespace === 'string' && meta.namespace !== '') ? r.doc.applyNamespace : undefined;
}

function ownNamespace(r: Resource): string | undefined {
  if (r.kind === 'Namespace') return r.name;
  if (r.namespaceSet) return r.namespace;
  return r.doc.applyNamespace?.namespace;
}

/**
 * True when two files of the folder define the same kind and name in the same namespace, or where one of them leaves
 * the namespace to the command that applies it: they are alternatives (steps of a tutorial, per-cluster variants),
 * not one deployment.
 */
function holdsAlternatives(files: YamlFileEntry[]): boolean {
  if (files.length < 2) return false;
  const owners = new Map<string, { fileId: string; ns: string | undefined }[]>();
  for (const f of files) {
    for (const r of f.resources) {
      // ServiceEntries, RequestAuthentications and Nodes only feed registry lookups: two files declaring one do not
      // make their folder a set of alternatives.
      if (r.kind === 'Namespace' || r.kind === 'ServiceEntry' || r.kind === 'RequestAuthentication' || r.kind === 'Node') continue;
      const key = `${r.kind}\0${r.name}`;
      const ns = ownNamespace(r);
      let list = owners.get(key);
      if (!list) owners.set(key, (list = []));
      if (list.some((o) => o.fileId !== f.id && (o.ns === undefined || ns === undefined || o.ns === ns))) return true;
      list.push({ fileId: f.id, ns });
    }
  }
  return false;
}

function unitsFromConfig(index: WorkspaceIndex, config: MeshtlsConfig, kustomizations: Set<string>, fragments: Map<string, string>): { unit: Unit; files: string[] }[] {
  if (!config.units.length) return [];
  const base = config.configDir ?? '.';
  const rel = (id: string): string | undefined => (base === '.' ? id : id.startsWith(`${base}/`) ? id.slice(base.length + 1) : undefined);
  const taken = new Set<string>();
  const out: { unit: Unit; files: string[] }[] = [];
  for (const u of config.units) {
    const include = u.include.map(compileGlob);
    const exclude = u.exclude.map(compileGlob);
    const files: string[] = [];
    for (const f of index.yamlFiles.values()) {
      const r = rel(f.id);
      if (r === undefined || taken.has(f.id) || kustomizations.has(f.id) || fragments.has(f.id)) continue;
      if (include.some((m) => m(r)) && !exclude.some((m) => m(r))) {
        files.push(f.id);
        taken.add(f.id);
      }
    }
    out.push({ unit: { id: `config:${u.name}`, kind: 'config', label: `.meshtls.yaml unit "${u.name}"`, fileId: config.configFile }, files });
  }
  return out;
}

/** Namespace given by `kubectl apply|create -n NS -f FILE` lines, per YAML file id. */
function appliedNamespaces(index: WorkspaceIndex): Map<string, (AppliedNamespace & { line?: number })[]> {
  const out = new Map<string, (AppliedNamespace & { line?: number })[]>();
  const resolve = scriptPathResolver(index.yamlFiles.keys());
  // The first line applying a file into a namespace is the one reported; the namespaces seen are kept per file (a
  // scan of the file's list per line was quadratic in the lines applying one file).
  const seen = new Map<string, Set<string | undefined>>();
  for (const f of index.otherFiles.values()) {
    if (!SCRIPT.test(f.id)) continue;
    let found = applyCache.get(f);
    if (!found) applyCache.set(f, (found = findKubectlApplies(f.id, bytesToText(f.bytes))));
    const dir = dirname(f.id);
    for (const a of found) {
      for (const p of a.paths) {
        for (const id of resolve(dir, p.path)) {
          let namespaces = seen.get(id);
          if (!namespaces) seen.set(id, (namespaces = new Set()));
          if (namespaces.has(a.namespace)) continue;
          namespaces.add(a.namespace);
          pushTo(out, id, { namespace: a.namespace as string, fileId: a.fileId, start: a.nsSpan.start, end: a.nsSpan.end, via: 'kubectl -f', line: a.line });
        }
      }
    }
  }
  return out;
}

/**
 * What a path on a kubectl line in a script of folder `scriptDir` names: the YAML file, else the YAML files directly
 * in the folder, at the path taken from the script's folder or the nearest ancestor where it exists (scripts run from
 * their own folder or from the repository root). Walking up and joining at each ancestor cost the script's depth per
 * path (100,000 paths in a script 1,000 folders deep: minutes); a plain path is looked up instead among the files
 * and folders whose last segments it is, and kept per folder and path.
 */
export function scriptPathResolver(yamlIds: Iterable<string>): (scriptDir: string, p: string) => string[] {
  const files = new Set(yamlIds);
  const folders = new Map<string, string[]>();
  for (const f of files) pushTo(folders, dirname(f), f);
  const walk = (scriptDir: string, p: string): string[] => {
    for (let dir = scriptDir; ; dir = dirname(dir)) {
      const id = join(dir, p);
      if (files.has(id)) return [id];
      const inDir = folders.get(id);
      if (inDir) return inDir;
      if (dir === '.' || dir === '/' || dirname(dir) === dir) return [];
    }
  };
  // Per number of segments k: files and folders by their last k segments.
  const bySuffix = new Map<number, Map<string, string[]>>();
  const suffixes = (k: number): Map<string, string[]> => {
    let m = bySuffix.get(k);
    if (m) return m;
    m = new Map();
    for (const e of [...files, ...folders.keys()]) {
      let i = e.length;
      for (let n = 0; n < k && i >= 0; n++) i = e.lastIndexOf('/', i - 1);
      pushTo(m, e.slice(i + 1), e);
    }
    bySuffix.set(k, m);
    return m;
  };
  const ancestors = new Map<string, Map<string, number>>();
  const memo = new Map<string, Map<string, string[]>>();
  return (scriptDir, p) => {
    let known = memo.get(scriptDir);
    if (!known) memo.set(scriptDir, (known = new Map()));
    let hit = known.get(p);
    if (hit) return hit;
    // Paths with `.` or `..` segments, absolute or unnormalised ones are walked.
    if (p.startsWith('/') || /(^|\/)\.\.?(\/|$)/.test(p) || normalize(p) !== p || normalize(scriptDir) !== scriptDir) hit = walk(scriptDir, p);
    else {
      let depth = ancestors.get(scriptDir);
      if (!depth) {
        depth = new Map();
        for (let dir = scriptDir, n = 0; ; dir = dirname(dir), n++) {
          if (!depth.has(dir)) depth.set(dir, n);
          if (dir === '.' || dir === '/' || dirname(dir) === dir) break;
        }
        ancestors.set(scriptDir, depth);
      }
      let k = 1;
      for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) k++;
      let best: string | undefined;
      let bestDepth = Infinity;
      for (const e of suffixes(k).get(p) ?? []) {
        const dir = e.length === p.length ? '.' : e.length === p.length + 1 ? '/' : e.slice(0, e.length - p.length - 1);
        const n = depth.get(dir);
        if (n === undefined || n > bestDepth || (n === bestDepth && !files.has(e))) continue;
        best = e;
        bestDepth = n;
      }
      hit = best === undefined ? [] : files.has(best) ? [best] : folders.get(best)!;
    }
    known.set(p, hit);
    return hit;
  };
}

/** `kind ns/name` of an instance, the identity Kubernetes gives it. */
export function identityOf(p: Resource): string {
  return `${p.kind} ${p.namespace}/${p.name}`;
}

/** Where a placed resource lands, in words: `applied in namespace "a" by deploy.sh line 12, unit folder app/`. */
export function describePlacement(p: Placed): string {
  const f = p.nsFrom;
  let ns = `namespace "${p.namespace}"${p.nsKnown ? '' : ' (nothing sets it; kubectl would use the current context)'}`;
  if (f?.via === 'kubectl -f') ns = `applied in namespace "${p.namespace}" by ${f.fileId} line ${lineOf(f)}`;
  else if (f?.via === 'kustomization namespace') ns = `namespace "${p.namespace}" from ${f.fileId}`;
  else if (f?.via === 'kustomize build') ns = `namespace "${p.namespace}" from the kustomize build of ${f.fileId}`;
  else if (f) ns = `applied in namespace "${p.namespace}" by ${f.via} in ${f.fileId}`;
  const name = p.renamed ? `, named "${p.name}" by ${p.renamed.fileId}` : '';
  return `${ns}${name}, unit ${p.unit.label}`;
}

function lineOf(f: AppliedNamespace & { line?: number }): number | string {
  return f.line ?? '?';
}

/**
 * Markdown for a hover on a resource's name: where each unit applies it, in which namespace and under which name,
 * and why (`applied in namespace "a" by deploy.sh line 12`, `unit kustomization overlays/prod/`).
 */
export function placementMarkdown(index: WorkspaceIndex, config: MeshtlsConfig, resource: Resource): string | undefined {
  const placed = placementOf(index, config).ofResource.get(resource);
  if (!placed?.length) return undefined;
  const lines = placed.slice(0, 10).map((p) => `- \`${p.kind} ${p.namespace}/${p.name}\`: ${describePlacement(p)}`);
  if (placed.length > 10) lines.push(`- … and ${placed.length - 10} more`);
  const head = placed.length === 1 ? 'Where this is applied' : `Applied ${placed.length} times`;
  return `**${head}**\n\n${lines.join('\n')}`;
}
