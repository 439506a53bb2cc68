import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** A string, list or map longer or shorter than the CRD allows (`maxLength`, `maxItems`, `minProperties`…): the apiserver rejects it (`Too long`, `Too many`, `should have at least 1 properties`). */
export const schemaSizeOutOfRange: ResourceRule = {
  id: 'schema-size-out-of-range',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Strings, lists and maps must respect the CRD's length and item-count limits (minLength, maxItems, minProperties…).",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'size-out-of-range');
  },
};
