import { finding, type ResourceRule } from '../types';
import type { Finding } from '../../types';
import type { Resource } from '../../istio/resource';
import { ISTIO_KINDS } from '../../istio/resource';
import { schemaIssues, type SchemaIssueKind } from '../../istio/schema';

/** The kinds whose CRD schema meshtls carries. */
export const SCHEMA_KINDS: readonly string[] = Object.keys(ISTIO_KINDS);

/** The findings of one issue kind; the walk itself runs once per resource and is shared by the schema rules. */
export function schemaFindings(rule: ResourceRule, resource: Resource, kind: SchemaIssueKind): Finding[] {
  const out: Finding[] = [];
  for (const issue of schemaIssues(resource)) {
    if (issue.kind !== kind) continue;
    const span = { fileId: resource.doc.fileId, start: issue.start, end: issue.end };
    out.push(finding(rule, span, issue.message, { fixes: issue.fix ? [issue.fix] : undefined }));
  }
  return out;
}
