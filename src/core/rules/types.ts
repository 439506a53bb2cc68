import type { Finding, Fix, RelatedInfo, Severity, Span } from '../types';
import type { Resource } from '../istio/resource';
import type { WorkspaceIndex } from '../index/workspace-index';
import type { MeshtlsConfig } from '../config';
import { sanitizeMessage } from '../display';

export interface RuleContext {
  index: WorkspaceIndex;
  config: MeshtlsConfig;
  /** Evaluation time; tests pin it so expiry checks are deterministic. */
  now: Date;
}

interface RuleMeta {
  /** Stable kebab-case id; never reused after a rule is retired. */
  id: string;
  /** The `istioctl analyze` code this rule mirrors, when there is one. */
  istioCode?: string;
  /** The Kiali validation code this rule mirrors (e.g. `KIA0201`), when Kiali checks the same thing. */
  kialiCode?: string;
  defaultSeverity: Severity;
  kinds: readonly string[];
  /** One line for docs and `meshtls rules`. */
  summary: string;
}

/** Looks at one resource at a time; its findings are cached until the resource's document changes. */
export interface ResourceRule extends RuleMeta {
  scope: 'resource';
  check(resource: Resource, ctx: RuleContext): Finding[];
}

/**
 * What a workspace rule's findings depend on, besides the configuration and the placement (both always part of the
 * key): resource kinds as `WorkspaceIndex.kindVersion` names them (`UNTYPED_DOCUMENTS` for documents that define no
 * modelled resource), `READS_OTHER_FILES` for certificates, keys and scripts, `READS_NOW` for the evaluation time.
 */
export const READS_OTHER_FILES = '(other files)';
export const READS_NOW = '(now)';

/** Looks across the workspace (references between resources, files on disk). */
export interface WorkspaceRule extends RuleMeta {
  scope: 'workspace';
  check(ctx: RuleContext): Finding[];
  /**
   * Everything the rule reads (see READS_OTHER_FILES). The linter re-runs the rule only when one of these changed
   * since its last run; without the list it re-runs on every change. A kind missing from the list means stale
   * findings: list every kind the rule or the helpers it calls look at.
   */
  reads?: readonly string[];
}

export type Rule = ResourceRule | WorkspaceRule;

/**
 * sanitizeMessage for messages seen recently: cross-resource rules repeat one related message ("Same certificate on
 * Gateway x") in thousands of findings. Bounded, so a run with millions of distinct messages keeps little.
 */
const sanitized = new Map<string, string>();
function sanitizeOnce(message: string): string {
  let m = sanitized.get(message);
  if (m === undefined) {
    if (sanitized.size >= 4096) sanitized.clear();
    sanitized.set(message, (m = sanitizeMessage(message)));
  }
  return m;
}

/**
 * A related location a rule hands to thousands of findings stays one object when its message needs no change, and a
 * list none of whose messages changes stays the same list (findings are never modified after they are made).
 */
function sanitizedRelated(list: RelatedInfo[]): RelatedInfo[] {
  // A list handed to thousands of findings (gateway-duplicate-certificate) is checked once.
  const known = relatedChecked.get(list);
  if (known) return known;
  const out = sanitizeList(list);
  relatedChecked.set(list, out);
  return out;
}
const relatedChecked = new WeakMap<RelatedInfo[], RelatedInfo[]>();

function sanitizeList(list: RelatedInfo[]): RelatedInfo[] {
  let out: RelatedInfo[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    const message = sanitizeOnce(r.message);
    if (message === r.message && !out) continue;
    out ??= list.slice(0, i);
    out.push(message === r.message ? r : { ...r, message });
  }
  return out ?? list;
}

export function finding(
  rule: Pick<RuleMeta, 'id' | 'defaultSeverity' | 'istioCode'>,
  span: Span,
  message: string,
  extra: { related?: RelatedInfo[]; fixes?: Fix[]; severity?: Severity } = {},
): Finding {
  // Every message quotes values from files a pull request controls: no key material, no value of unbounded length.
  const f: Finding = { ruleId: rule.id, severity: extra.severity ?? rule.defaultSeverity, message: sanitizeOnce(message), ...span };
  if (rule.istioCode) f.istioCode = rule.istioCode;
  if (extra.related?.length) f.related = sanitizedRelated(extra.related);
  if (extra.fixes?.length) f.fixes = extra.fixes;
  return f;
}
