import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/**
 * A CEL rule of the CRD (`x-kubernetes-validations`) fails on the resource: the apiserver rejects it with the rule's
 * message, which is the message shown. A rule meshtls cannot evaluate (a library function it lacks) is named once per
 * rule and resource at info instead, so that "no finding" is never read as "checked".
 */
export const schemaCelViolation: ResourceRule = {
  id: 'schema-cel-violation',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "The CRD's own CEL validation rules (x-kubernetes-validations) must hold; the message is the CRD's.",
  scope: 'resource',
  check(resource) {
    return [...schemaFindings(this, resource, 'cel-violation'), ...schemaFindings(this, resource, 'cel-unevaluated', 'info')].sort((a, b) => a.start - b.start);
  },
};
