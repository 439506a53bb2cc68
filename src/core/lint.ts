import type { Finding, Severity } from './types';
import type { MeshtlsConfig } from './config';
import type { WorkspaceIndex, YamlFileEntry } from './index/workspace-index';
import type { YamlDocument } from './yaml/documents';
import { isIstioKind } from './istio/resource';
import type { Rule, RuleContext, ResourceRule } from './rules/types';
import { RULES } from './rules/registry';
import { ENGINE_RULES } from './rules/engine-rules';
import { parseSuppressions, isSuppressed, type Suppressions } from './suppress';

export interface LintOptions {
  config: MeshtlsConfig;
  now: Date;
  /** Rules to run; defaults to the registry. Tests pass a single rule. */
  rules?: readonly Rule[];
}

/**
 * Runs every rule over the index and returns findings grouped by file id. Resource-rule findings are cached per
 * parsed document, so a re-lint after an edit re-checks only the document that changed plus the cross-resource rules.
 */
export class Linter {
  private readonly docCache = new WeakMap<YamlDocument, Finding[]>();
  private readonly suppressionCache = new Map<string, { text: string; s: Suppressions }>();

  constructor(private readonly options: LintOptions) {}

  get config(): MeshtlsConfig {
    return this.options.config;
  }

  lint(index: WorkspaceIndex, now: Date = this.options.now): Map<string, Finding[]> {
    const rules = this.options.rules ?? RULES;
    const ctx: RuleContext = { index, config: this.options.config, now };
    const out = new Map<string, Finding[]>();
    const push = (f: Finding) => {
      let list = out.get(f.fileId);
      if (!list) out.set(f.fileId, (list = []));
      list.push(f);
    };
    const resourceRules = rules.filter((r): r is ResourceRule => r.scope === 'resource');
    for (const file of index.yamlFiles.values()) {
      out.set(file.id, []);
      for (const d of file.docs) for (const f of this.docFindings(d, file, resourceRules, ctx)) push(f);
    }
    for (const rule of rules) {
      if (rule.scope !== 'workspace' || this.severityOf(rule.id, rule.defaultSeverity) === 'off') continue;
      try {
        for (const f of rule.check(ctx)) push(f);
      } catch (err) {
        // One broken cross-resource rule must not hide every other finding: report it once, on the first file.
        const first = index.yamlFiles.values().next().value;
        if (first) push(ENGINE_RULES.ruleCrashed.makeForFile(rule.id, first.id, err as Error));
      }
    }
    for (const [fileId, list] of out) out.set(fileId, this.finish(index, fileId, list));
    return out;
  }

  private docFindings(d: YamlDocument, file: YamlFileEntry, rules: ResourceRule[], ctx: RuleContext): Finding[] {
    const cached = this.docCache.get(d);
    if (cached) return cached;
    const found: Finding[] = [];
    if (d.templated) {
      found.push({ ...ENGINE_RULES.templateSkipped.make(d), fileId: file.id });
    } else if (d.errors.length > 0) {
      for (const e of d.errors.slice(0, 5)) found.push(ENGINE_RULES.yamlSyntax.make(file.id, e));
    } else {
      for (const r of file.resources) {
        if (r.doc !== d || !isIstioKind(r)) continue;
        for (const rule of rules) {
          if (!rule.kinds.includes(r.kind)) continue;
          try {
            found.push(...rule.check(r, ctx));
          } catch (err) {
            // A rule bug must not hide every other finding; report it where the resource starts.
            found.push(ENGINE_RULES.ruleCrashed.make(rule.id, r, err as Error));
          }
        }
      }
    }
    this.docCache.set(d, found);
    return found;
  }

  private severityOf(ruleId: string, fallback: Severity): Severity | 'off' {
    return this.options.config.severity[ruleId] ?? fallback;
  }

  private finish(index: WorkspaceIndex, fileId: string, list: Finding[]): Finding[] {
    const text = index.yamlFiles.get(fileId)?.text;
    let s: Suppressions | undefined;
    if (text !== undefined) {
      const c = this.suppressionCache.get(fileId);
      s = c && c.text === text ? c.s : parseSuppressions(text);
      this.suppressionCache.set(fileId, { text, s });
    }
    const result: Finding[] = [];
    for (const f of list) {
      const sev = this.severityOf(f.ruleId, f.severity);
      if (sev === 'off') continue;
      if (s && text !== undefined && isSuppressed(s, f.ruleId, text, f.start)) continue;
      result.push(sev === f.severity ? f : { ...f, severity: sev });
    }
    return result.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  }
}
