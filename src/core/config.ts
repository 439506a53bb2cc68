import { parse } from 'yaml';
import { SEVERITIES, type Severity } from './types';
import { pushTo } from './collections';
import { isObject } from './istio/resource';
import { parseIstioVersion } from './istio/versions';
import { fastParse } from './yaml/fast-parse';
import { MAX_DOCUMENT_ITEMS, tooLargeToParse } from './yaml/documents';

/** Settings shared by the CLI (`.meshtls.yaml`) and the extension (VS Code settings layered on the same file). */
export interface MeshtlsConfig {
  /** Istio's root namespace: mesh-wide policies live here. */
  rootNamespace: string;
  /** Maps a gateway selector (`key=value`, several joined by `,`) to the namespace its pods run in. */
  gatewayNamespaces: Record<string, string>;
  /** Warn this many days before a certificate expires. */
  expiryWarningDays: number;
  /** Per-rule severity override; `off` disables the rule. */
  severity: Record<string, Severity | 'off'>;
  /** Glob patterns (workspace-relative) the linter skips. */
  ignore: string[];
  /** Explicit credential → files mapping; paths are relative to the config file's folder. */
  credentials: Record<string, { cert?: string; key?: string; cacert?: string }>;
  /**
   * The Istio release the configuration is deployed to (`1.31`): findings whose truth depends on the release (the
   * Gateway API certificateRefs limit, Secret CA refs at runtime, conditions that exist only in later releases)
   * follow it. Defaults to the release the vendored Gateway API CRDs (v1.6) ship with.
   */
  targetIstioVersion: string;
  /**
   * Deployment units said out loud: the files each `include` glob matches (minus `exclude`) are applied together.
   * The strongest source of units; globs are relative to the .meshtls.yaml folder.
   */
  units: UnitConfig[];
  /** Gateways that exist in the cluster but not in this workspace (`ns/name`), so references to them are not findings. */
  externalGateways: string[];
  /**
   * The workspace declares every Service and ServiceEntry the configuration can reach, as `istioctl analyze` assumes
   * of the files it is given: a host nothing declares is then missing even in a namespace the workspace holds no
   * Service for. Off by default, since a repository usually gets its Services from charts or other repositories.
   */
  completeRegistry?: boolean;
  /** Folder of the .meshtls.yaml that was read (a file id); adapters set it so credential paths resolve. */
  configDir?: string;
  /** File id of that .meshtls.yaml, for findings that point at a credentials entry. */
  configFile?: string;
}

export interface UnitConfig {
  name: string;
  include: string[];
  exclude: string[];
}

export const DEFAULT_CONFIG: MeshtlsConfig = {
  rootNamespace: 'istio-system',
  gatewayNamespaces: { 'istio=ingressgateway': 'istio-system', 'istio=egressgateway': 'istio-system' },
  expiryWarningDays: 30,
  severity: {},
  ignore: [],
  credentials: {},
  targetIstioVersion: '1.31',
  units: [],
  externalGateways: [],
};

export interface ConfigProblem {
  message: string;
  offset: number;
}

/** Reads `.meshtls.yaml`. Unknown keys and bad values are reported, never fatal; defaults fill the gaps. */
export function parseConfig(text: string): { config: MeshtlsConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: MeshtlsConfig = structuredClone(DEFAULT_CONFIG);
  let raw: unknown;
  // A text too large to parse is refused, as any other YAML file is (a 5 MB flow sequence took 29 s and 2.8 GB); plain
  // block YAML takes the fast path, which gives what `parse` gives in linear time (the general parser's check for
  // duplicate keys compares each key with all before it: 40,000 credentials took 13 s).
  if (tooLargeToParse(text)) {
    problems.push({ message: `Document too large to check: more than ${MAX_DOCUMENT_ITEMS} lines and flow items.`, offset: 0 });
    return { config, problems };
  }
  try {
    const fast = fastParse(text);
    raw = fast ? fast.value : parse(text, { prettyErrors: false });
  } catch (err) {
    const pos = (err as { pos?: [number, number] }).pos;
    problems.push({ message: (err as Error).message.split('\n')[0], offset: pos ? pos[0] : 0 });
    return { config, problems };
  }
  if (raw == null) return { config, problems };
  if (!isObject(raw)) {
    problems.push({ message: '.meshtls.yaml must be a mapping.', offset: 0 });
    return { config, problems };
  }
  // Each problem points at the first `key:` of the text; those offsets are found together at the end (a search of the
  // text per problem was quadratic: 45,000 malformed credentials).
  const located: { problem: ConfigProblem; needle: string }[] = [];
  const problem = (message: string, key: string) => {
    const p = { message, offset: 0 };
    problems.push(p);
    located.push({ problem: p, needle: `${key}:` });
  };
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'rootNamespace':
        if (typeof value === 'string' && value) config.rootNamespace = value;
        else problem('"rootNamespace" must be a non-empty string.', key);
        break;
      case 'expiryWarningDays':
        if (typeof value === 'number' && value >= 0) config.expiryWarningDays = value;
        else problem('"expiryWarningDays" must be a number of days.', key);
        break;
      case 'gatewayNamespaces':
        if (isObject(value)) {
          for (const [sel, ns] of Object.entries(value)) if (typeof ns === 'string') config.gatewayNamespaces[sel] = ns;
        } else problem('"gatewayNamespaces" must map selectors to namespaces.', key);
        break;
      case 'severity':
        if (isObject(value)) {
          for (const [id, sev] of Object.entries(value)) {
            if (sev === 'off' || (SEVERITIES as readonly unknown[]).includes(sev)) config.severity[id] = sev as Severity | 'off';
            else problem(`Severity "${String(sev)}" for "${id}" is not one of error, warning, info, hint, off.`, id);
          }
        } else problem('"severity" must map rule ids to severities.', key);
        break;
      case 'ignore':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) config.ignore = value as string[];
        else problem('"ignore" must be a list of glob patterns.', key);
        break;
      case 'targetIstioVersion': {
        const v = typeof value === 'number' ? String(value) : value;
        if (typeof v === 'string' && parseIstioVersion(v)) config.targetIstioVersion = v;
        else problem(`"targetIstioVersion" must be an Istio release such as "1.31", not "${String(value)}".`, key);
        break;
      }
      case 'credentials':
        if (isObject(value)) {
          for (const [name, files] of Object.entries(value)) {
            if (isObject(files)) config.credentials[name] = files as MeshtlsConfig['credentials'][string];
            else problem(`Credential "${name}" must map cert, key and cacert to files.`, name);
          }
        } else problem('"credentials" must map credential names to files.', key);
        break;
      case 'units':
        if (Array.isArray(value)) {
          for (const u of value) {
            const globs = (v: unknown) => (v === undefined ? [] : Array.isArray(v) && v.every((g) => typeof g === 'string') ? (v as string[]) : undefined);
            const include = isObject(u) ? globs(u.include) : undefined;
            const exclude = isObject(u) ? globs(u.exclude) : undefined;
            if (isObject(u) && typeof u.name === 'string' && u.name && include && include.length && exclude) config.units.push({ name: u.name, include, exclude });
            else problem('Each entry of "units" needs a "name" and an "include" list of globs (and optionally "exclude").', key);
          }
        } else problem('"units" must be a list of { name, include, exclude }.', key);
        break;
      case 'externalGateways':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[^/\s]+\/[^/\s]+$/.test(v))) config.externalGateways = value as string[];
        else problem('"externalGateways" must be a list of "namespace/name" entries.', key);
        break;
      case 'completeRegistry':
        if (typeof value === 'boolean') config.completeRegistry = value;
        else problem(`"completeRegistry" must be true or false, not "${String(value)}".`, key);
        break;
      default:
        problem(`Unknown setting "${key}" in .meshtls.yaml.`, key);
    }
  }
  const first = firstIndexes(text, new Set(located.map((l) => l.needle)));
  for (const l of located) l.problem.offset = Math.max(0, first.get(l.needle)!);
  return { config, problems };
}

/**
 * `text.indexOf(needle)` for each needle: needles of one length are looked for together with a rolling hash, one pass
 * over the text per length (checked with startsWith, so a hash collision costs a comparison, never a wrong answer).
 */
function firstIndexes(text: string, needles: Set<string>): Map<string, number> {
  const out = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  for (const n of needles) pushTo(byLength, n.length, n);
  const B = 31;
  const hashOf = (s: string, from: number, len: number): number => {
    let h = 0;
    for (let i = from; i < from + len; i++) h = (Math.imul(h, B) + s.charCodeAt(i)) | 0;
    return h;
  };
  for (const [len, list] of byLength) {
    if (list.length === 1 || len > text.length) {
      for (const n of list) out.set(n, text.indexOf(n));
      continue;
    }
    const wanted = new Map<number, string[]>();
    for (const n of list) pushTo(wanted, hashOf(n, 0, len), n);
    let pow = 1;
    for (let i = 1; i < len; i++) pow = Math.imul(pow, B);
    let left = list.length;
    let h = hashOf(text, 0, len);
    for (let i = 0; ; i++) {
      const candidates = wanted.get(h);
      if (candidates) {
        for (const n of candidates) {
          if (!out.has(n) && text.startsWith(n, i)) {
            out.set(n, i);
            left--;
          }
        }
      }
      if (left === 0 || i + len >= text.length) break;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i), pow), B) + text.charCodeAt(i + len)) | 0;
    }
    for (const n of list) if (!out.has(n)) out.set(n, -1);
  }
  return out;
}

/** The namespace where a gateway's pods run, from its selector. Falls back to the Gateway's own namespace. */
export function gatewayWorkloadNamespace(config: MeshtlsConfig, selector: Record<string, string>, gatewayNs: string): string {
  // Worked out once per namespace table and selector object (Gateways with equal selectors share one).
  let bySelector = workloadNamespaces.get(config.gatewayNamespaces);
  if (!bySelector) workloadNamespaces.set(config.gatewayNamespaces, (bySelector = new WeakMap()));
  let ns = bySelector.get(selector);
  if (ns === undefined) bySelector.set(selector, (ns = configuredNamespace(config, selector)));
  return ns ?? gatewayNs;
}
const workloadNamespaces = new WeakMap<Record<string, string>, WeakMap<Record<string, string>, string | null>>();

function configuredNamespace(config: MeshtlsConfig, selector: Record<string, string>): string | null {
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  for (const [sel, ns] of Object.entries(config.gatewayNamespaces)) {
    const want = sel.split(',').map((s) => s.trim()).filter(Boolean);
    if (want.length > 0 && want.every((w) => pairs.includes(w))) return ns;
  }
  return null;
}
