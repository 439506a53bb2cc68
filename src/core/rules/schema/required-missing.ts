import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** A field the CRD lists under `required` is missing: the apiserver answers `Required value` and rejects the resource. */
export const schemaRequiredMissing: ResourceRule = {
  id: 'schema-required-missing',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Fields the CRD marks as required must be set (e.g. warmup.duration).",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'required-missing');
  },
};
