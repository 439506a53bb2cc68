import { pushTo } from './collections';
import type { Finding, Severity } from './types';
import type { MeshtlsConfig } from './config';
import type { WorkspaceIndex, YamlFileEntry } from './index/workspace-index';
import { inPlaceholder, type YamlDocument } from './yaml/documents';
import { isLintedKind, type Resource } from './istio/resource';
import type { Rule, RuleContext, ResourceRule, WorkspaceRule } from './rules/types';
import { READS_NOW, READS_OTHER_FILES } from './rules/types';
import { RULES } from './rules/registry';
import { ENGINE_RULES } from './rules/engine-rules';
import { parseSuppressions, isSuppressed, type Suppressions } from './suppress';
import { placementOf } from './index/placement';

export interface LintOptions {
  config: MeshtlsConfig;
  now: Date;
  /** Rules to run; defaults to the registry. Tests pass a single rule. */
  rules?: readonly Rule[];
}

/** The resource rules that apply to each kind, in registry order. */
type RulesByKind = Map<string, ResourceRule[]>;

const byKindCache = new WeakMap<readonly Rule[], RulesByKind>();

/** Resource rules grouped by kind once per rule list: asking every rule about every resource was most of a loop. */
function rulesByKind(rules: readonly Rule[]): RulesByKind {
  let out = byKindCache.get(rules);
  if (!out) {
    out = new Map();
    for (const rule of rules) if (rule.scope === 'resource') for (const kind of new Set(rule.kinds)) pushTo(out, kind, rule);
    byKindCache.set(rules, out);
  }
  return out;
}

/** What a file contributed last time, so a re-lint that did not touch the file skips filtering and sorting it. */
interface FileCache {
  /** The per-document finding arrays the list was built from; the same arrays mean no document changed. */
  parts: Finding[][];
  text: string;
  suppressions: Suppressions;
  /** The resource-rule findings after severity overrides and suppressions, sorted. */
  findings: Finding[];
}

/** A workspace rule's findings, and the versions of what it read when it produced them. */
interface RuleCache {
  key: string;
  findings: Finding[];
}

/**
 * Runs every rule over the index and returns findings grouped by file id. Resource-rule findings are cached per
 * parsed document, and their filtered, sorted form per file, so a re-lint after an edit re-checks only the document
 * that changed plus the cross-resource rules, and re-sorts only the edited file and the files workspace rules hit.
 */
export class Linter {
  private readonly docCache = new WeakMap<YamlDocument, Finding[]>();
  private readonly fileCache = new Map<string, FileCache>();
  /** The severity overrides the file cache was built with; the config object may be edited between runs. */
  private severityKey = '';
  /** Workspace rule findings by rule id, reused while nothing the rule reads has changed. */
  private readonly ruleCache = new Map<string, RuleCache>();
  /** Everything in the configuration except severities (which apply after the rules ran), as the rule cache saw it. */
  private configKey = '';
  private cachedIndex: WorkspaceIndex | undefined;

  constructor(private readonly options: LintOptions) {}

  get config(): MeshtlsConfig {
    return this.options.config;
  }

  lint(index: WorkspaceIndex, now: Date = this.options.now): Map<string, Finding[]> {
    const rules = this.options.rules ?? RULES;
    const ctx: RuleContext = { index, config: this.options.config, now };
    const severityKey = JSON.stringify(this.options.config.severity);
    if (severityKey !== this.severityKey) {
      this.fileCache.clear();
      this.severityKey = severityKey;
    }
    const resourceRules = rulesByKind(rules);
    const configKey = JSON.stringify({ ...this.options.config, severity: undefined });
    if (configKey !== this.configKey || index !== this.cachedIndex) {
      this.ruleCache.clear();
      this.configKey = configKey;
      this.cachedIndex = index;
    }
    // Kustomize patches are fragments of other resources, not resources: nothing in them is judged on its own.
    const placement = placementOf(index, this.options.config);

    // Workspace findings first: they are few, and grouping them up front lets each file be finished in one step.
    const byFile = new Map<string, Finding[]>();
    const push = (f: Finding) => {
      pushTo(byFile, f.fileId, f);
    };
    for (const rule of rules) {
      if (rule.scope !== 'workspace' || this.severityOf(rule.id, rule.defaultSeverity) === 'off') continue;
      const key = rule.reads && readsKey(rule, index, placement.epoch, now);
      const hit = key !== undefined ? this.ruleCache.get(rule.id) : undefined;
      if (hit && hit.key === key) {
        for (const f of hit.findings) push(f);
        continue;
      }
      try {
        const found = rule.check(ctx);
        if (key !== undefined) this.ruleCache.set(rule.id, { key, findings: found });
        for (const f of found) push(f);
      } catch (err) {
        // One broken cross-resource rule must not hide every other finding: report it once, on the first file.
        this.ruleCache.delete(rule.id);
        const first = index.yamlFiles.values().next().value;
        if (first) push(ENGINE_RULES.ruleCrashed.makeForFile(rule.id, first.id, err as Error));
      }
    }

    // Every YAML file gets an entry (possibly empty) in index order, then the other files workspace rules reported on.
    const out = new Map<string, Finding[]>();
    let hasPlaceholders = false;
    for (const file of index.yamlFiles.values()) if (file.docs.some((d) => d.placeholders.length > 0)) hasPlaceholders = true;
    const { fragments, buildFilled, chartOf } = placement;
    const chartSkips = new Map<string, { fileId: string; finding: Finding; count: number; files: Set<string> }>();
    const skippedInChart = (dir: string, fileId: string, list: Finding[]): Finding[] =>
      list.filter((f) => {
        if (f.ruleId !== ENGINE_RULES.templateSkipped.id) return true;
        const first = chartSkips.get(dir);
        if (!first) {
          chartSkips.set(dir, { fileId, finding: f, count: 1, files: new Set([fileId]) });
          return true;
        }
        first.count++;
        first.files.add(fileId);
        return false;
      });
    for (const file of index.yamlFiles.values()) {
      for (const p of file.host?.problems ?? []) push(ENGINE_RULES.embeddedYamlSkipped.make(file.id, p));
      const resourceFindings = fragments.has(file.id) ? [] : this.fileFindings(file, resourceRules, ctx);
      let extra = byFile.get(file.id);
      if (extra && hasPlaceholders) extra = extra.filter((f) => !restsOnPlaceholder(index, f));
      const cache = this.fileCache.get(file.id)!;
      let merged = extra ? mergeSorted(resourceFindings, this.finish(extra, file.text, cache.suppressions)) : resourceFindings.slice();
      // Fields a kustomization's `replacements` fill at build time hold placeholders here (`*_PLACEHOLDER`).
      const filled = buildFilled.get(file.id);
      if (filled) merged = merged.filter((f) => !filled.some((s) => s.start <= f.start && f.end <= s.end));
      const chart = chartOf.get(file.id);
      if (chart) merged = skippedInChart(chart, file.id, merged);
      out.set(file.id, merged);
    }
    // A chart's templates are skipped as a whole: one note per chart, on its first skipped document, says how many.
    for (const [dir, first] of chartSkips) {
      if (first.count === 1) continue;
      const list = out.get(first.fileId)!;
      list[list.indexOf(first.finding)] = { ...first.finding, message: ENGINE_RULES.templateSkipped.chartMessage(dir, first.count, first.files.size) };
    }
    // Files that are not YAML (certificates, scripts) carry no suppression comments.
    for (const [fileId, list] of byFile) if (!out.has(fileId)) out.set(fileId, this.finish(hasPlaceholders ? list.filter((f) => !restsOnPlaceholder(index, f)) : list, undefined, undefined));
    for (const id of this.fileCache.keys()) if (!index.yamlFiles.has(id)) this.fileCache.delete(id);
    return out;
  }

  /** The file's resource-rule findings, filtered and sorted; rebuilt only when one of its documents changed. */
  private fileFindings(file: YamlFileEntry, rules: RulesByKind, ctx: RuleContext): Finding[] {
    // Resources grouped by document once: looking them up per document was quadratic in a file of 10,000 documents.
    let byDoc: Map<YamlDocument, Resource[]> | undefined;
    const resourcesOf = (d: YamlDocument) => {
      if (!byDoc) {
        byDoc = new Map();
        for (const r of file.resources) {
          pushTo(byDoc, r.doc, r);
        }
      }
      return byDoc.get(d) ?? [];
    };
    const parts = file.docs.map((d) => this.docFindings(d, file, rules, ctx, resourcesOf));
    const cached = this.fileCache.get(file.id);
    if (cached && cached.text === file.text && sameArrays(cached.parts, parts)) return cached.findings;
    const suppressions = cached && cached.text === file.text ? cached.suppressions : parseSuppressions(file.text);
    const findings = this.finish(parts.flat(), file.text, suppressions);
    this.fileCache.set(file.id, { parts, text: file.text, suppressions, findings });
    return findings;
  }

  private docFindings(d: YamlDocument, file: YamlFileEntry, rules: RulesByKind, ctx: RuleContext, resourcesOf: (d: YamlDocument) => Resource[]): Finding[] {
    const cached = this.docCache.get(d);
    if (cached) return cached;
    const found: Finding[] = [];
    if (d.templated) {
      found.push({ ...ENGINE_RULES.templateSkipped.make(d), fileId: file.id });
    } else if (d.errors.length > 0) {
      for (const e of d.errors.slice(0, 5)) found.push(ENGINE_RULES.yamlSyntax.make(file.id, e));
    } else {
      for (const r of resourcesOf(d)) {
        if (!isLintedKind(r)) continue;
        for (const rule of rules.get(r.kind) ?? []) {
          try {
            // Most rules find nothing: an indexed loop spares an iterator per rule and resource.
            const list = rule.check(r, ctx);
            for (let i = 0; i < list.length; i++) found.push(list[i]);
          } catch (err) {
            // A rule bug must not hide every other finding; report it where the resource starts.
            found.push(ENGINE_RULES.ruleCrashed.make(rule.id, r, err as Error));
          }
        }
      }
    }
    // A field holding a placeholder (`$(VAR)`, or `$VAR` in a heredoc) is filled in later: it is not judged.
    const kept = d.placeholders.length ? found.filter((f) => !inPlaceholder(d, f.start, f.end) && !f.related?.some((r) => r.fileId === d.fileId && inPlaceholder(d, r.start, r.end))) : found;
    this.docCache.set(d, kept);
    return kept;
  }

  private severityOf(ruleId: string, fallback: Severity): Severity | 'off' {
    return this.options.config.severity[ruleId] ?? fallback;
  }

  /** Applies severity overrides and suppressions, then sorts by position (rule id breaks ties); stable. */
  private finish(list: Finding[], text: string | undefined, s: Suppressions | undefined): Finding[] {
    const result: Finding[] = [];
    for (const f of list) {
      const sev = this.severityOf(f.ruleId, f.severity);
      if (sev === 'off') continue;
      if (s && text !== undefined && isSuppressed(s, f.ruleId, text, f.start)) continue;
      result.push(sev === f.severity ? f : { ...f, severity: sev });
    }
    result.sort(byPosition);
    // A heredoc applied in a loop is one document per namespace at the same place: a finding that does not depend on
    // the namespace comes once per copy, and is reported once.
    if (!result.some((f, i) => i > 0 && f.start === result[i - 1].start && f.ruleId === result[i - 1].ruleId)) return result;
    const seen = new Set<string>();
    return result.filter((f) => {
      const key = `${f.ruleId}\0${f.start}\0${f.end}\0${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

/**
 * The versions of everything a workspace rule reads, as one string: equal keys mean the rule would find the same.
 * The placement epoch is always part of it, since units, namespaces and names decide what every cross rule compares.
 */
function readsKey(rule: WorkspaceRule, index: WorkspaceIndex, epoch: number, now: Date): string {
  let key = `${epoch}`;
  for (const r of rule.reads!) key += `,${r === READS_NOW ? now.getTime() : r === READS_OTHER_FILES ? index.otherFilesVersion : index.kindVersion(r)}`;
  return key;
}

/** True when the span lies inside a placeholder scalar of the document that holds its start. */
function inPlaceholderOf(index: WorkspaceIndex, span: { fileId: string; start: number; end: number }): boolean {
  const docs = index.yamlFiles.get(span.fileId)?.docs;
  if (!docs) return false;
  let holder: YamlDocument | undefined;
  for (const d of docs) if (d.base <= span.start) holder = d;
  return holder !== undefined && holder.placeholders.length > 0 && inPlaceholder(holder, span.start, span.end);
}

/**
 * A finding rests on a placeholder when it sits on one, or when the value it compares with is one (a certificate's
 * SANs against a Gateway host `$HOST`, a conflict with a host `$(HOST)`): neither side can be judged before the value
 * is filled in.
 */
function restsOnPlaceholder(index: WorkspaceIndex, f: Finding): boolean {
  return inPlaceholderOf(index, f) || (f.related?.some((r) => inPlaceholderOf(index, r)) ?? false);
}

function byPosition(a: Finding, b: Finding): number {
  return a.start - b.start || a.ruleId.localeCompare(b.ruleId);
}

/**
 * Merges two lists sorted by `byPosition`, taking from `a` on ties: the same order a stable sort of `a` followed by
 * `b` gives, which is what sorting the whole file's findings at once used to produce.
 */
function mergeSorted(a: Finding[], b: Finding[]): Finding[] {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b;
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(byPosition(b[j], a[i]) < 0 ? b[j++] : a[i++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

function sameArrays(a: Finding[][], b: Finding[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
