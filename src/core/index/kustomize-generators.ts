import type { Span } from '../types';
import type { WorkspaceIndex } from './workspace-index';
import { isObject } from '../istio/resource';
import { spanOf } from '../yaml/documents';
import { dirname, join } from '../paths';

/**
 * A Secret or ConfigMap that a kustomization's `secretGenerator` / `configMapGenerator` creates at build time
 * (`kubectl apply -k`): its keys come from files next to the kustomization (`files: [tls.crt=certs/a.pem]`) or from
 * literals. Unless `disableNameSuffixHash` is set, kustomize appends a hash of the contents to the name
 * (`frontend-credential-k96hb287ht`) and rewrites only the references it knows — never an Istio `credentialName` or a
 * Gateway API `certificateRefs` name.
 */
export interface GeneratedObject {
  object: 'Secret' | 'ConfigMap';
  /** The name as written in the generator. */
  name: string;
  /** The name the build gives it before the hash: namePrefix + name + nameSuffix. */
  builtName: string;
  /** The generator's namespace, else the kustomization's; undefined when neither sets one. */
  namespace: string | undefined;
  /** True when kustomize appends a content hash to the name. */
  hashSuffix: boolean;
  /** The kustomization file and the span of the generator's `name`. */
  fileId: string;
  nameSpan: Span;
  type: string | undefined;
  /** Keys read from files (paths relative to the workspace), with the span of the entry that names them. */
  files: { key: string; path: string; span: Span }[];
  /** Keys given inline (`literals: [key=value]`). */
  literals: { key: string; value: string; span: Span }[];
}

const KUSTOMIZATION = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every generator entry of every kustomization in the workspace. */
export function kustomizeGenerators(index: WorkspaceIndex): GeneratedObject[] {
  const out: GeneratedObject[] = [];
  for (const f of index.yamlFiles.values()) {
    if (!KUSTOMIZATION.test(f.id) || !/(secret|configMap)Generator/.test(f.text)) continue;
    const d = f.docs[0];
    if (!d || !isObject(d.value)) continue;
    const v = d.value;
    const dir = dirname(f.id);
    const options = isObject(v.generatorOptions) ? v.generatorOptions : {};
    const prefix = str(v.namePrefix) ?? '';
    const suffix = str(v.nameSuffix) ?? '';
    const at = (path: (string | number)[]): Span => ({ fileId: f.id, ...spanOf(d, path) });
    for (const [field, object] of [['secretGenerator', 'Secret'], ['configMapGenerator', 'ConfigMap']] as const) {
      const list = v[field];
      if (!Array.isArray(list)) continue;
      list.forEach((g, i) => {
        if (!isObject(g) || !str(g.name)) return;
        const own = isObject(g.options) ? g.options : {};
        const disable = own.disableNameSuffixHash ?? options.disableNameSuffixHash;
        const files: GeneratedObject['files'] = [];
        (Array.isArray(g.files) ? g.files : []).forEach((entry, j) => {
          if (typeof entry !== 'string' || entry === '') return;
          // `key=path`, or `path` alone (the key is the file's base name).
          const eq = entry.indexOf('=');
          const path = eq >= 0 ? entry.slice(eq + 1) : entry;
          const key = eq >= 0 ? entry.slice(0, eq) : path.slice(path.lastIndexOf('/') + 1);
          files.push({ key, path: join(dir, path), span: at([field, i, 'files', j]) });
        });
        const literals: GeneratedObject['literals'] = [];
        (Array.isArray(g.literals) ? g.literals : []).forEach((entry, j) => {
          if (typeof entry !== 'string') return;
          const eq = entry.indexOf('=');
          if (eq > 0) literals.push({ key: entry.slice(0, eq), value: entry.slice(eq + 1), span: at([field, i, 'literals', j]) });
        });
        out.push({
          object,
          name: g.name as string,
          builtName: prefix + (g.name as string) + suffix,
          namespace: str(g.namespace) ?? str(v.namespace),
          hashSuffix: disable !== true,
          fileId: f.id,
          nameSpan: at([field, i, 'name']),
          type: str(g.type),
          files,
          literals,
        });
      });
    }
  }
  return out;
}
