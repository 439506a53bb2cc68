import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** A number outside the CRD's `minimum`/`maximum`: the apiserver answers `Invalid value` and rejects the resource. */
export const schemaValueOutOfRange: ResourceRule = {
  id: 'schema-value-out-of-range',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Numbers must lie within the CRD's minimum and maximum (e.g. warmup.minimumPercent ≤ 100).",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'value-out-of-range');
  },
};
