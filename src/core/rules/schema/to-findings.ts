import { finding, type ResourceRule } from '../types';
import type { Finding, Severity } from '../../types';
import type { Resource } from '../../istio/resource';
import { SCHEMA_KIND_NAMES, schemaIssues, type SchemaIssueKind } from '../../istio/schema';

/**
 * Every kind name with a generated schema (Istio's and the Gateway API's): the engine routes by kind name, and the
 * schema walk itself checks the group, so a kind becomes schema-checked as soon as it is indexed as a resource.
 */
// The Gateway API Gateway is indexed as `K8sGateway` (its kind name is Istio's Gateway's); the walk maps it back.
export const SCHEMA_KINDS: readonly string[] = [...SCHEMA_KIND_NAMES, 'K8sGateway'];

/** The findings of one issue kind; the walk itself runs once per resource and is shared by the schema rules. */
export function schemaFindings(rule: ResourceRule, resource: Resource, kind: SchemaIssueKind, severity?: Severity): Finding[] {
  const out: Finding[] = [];
  for (const issue of schemaIssues(resource)) {
    if (issue.kind !== kind) continue;
    const span = { fileId: resource.doc.fileId, start: issue.start, end: issue.end };
    out.push(finding(rule, span, issue.message, { fixes: issue.fix ? [issue.fix] : undefined, severity }));
  }
  return out;
}
