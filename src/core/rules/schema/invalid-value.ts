import type { ResourceRule } from '../types';
import type { Finding } from '../../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/**
 * A value the CRD's structural constraints reject beyond its type: a string not of the declared `format` (an IP
 * address, base64, a date-time), a string that does not match the CRD's RE2 `pattern`, or an item repeated in a list
 * declared `x-kubernetes-list-type: set` or `map`. The apiserver answers `Invalid value` or `Duplicate value`.
 */
export const schemaInvalidValue: ResourceRule = {
  id: 'schema-invalid-value',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Values must satisfy the CRD's format, pattern and list-uniqueness constraints (ipv4, byte, RE2 pattern, list-type set/map).",
  scope: 'resource',
  check(resource) {
    const out: Finding[] = [];
    for (const kind of ['format', 'pattern', 'list-duplicate'] as const) out.push(...schemaFindings(this, resource, kind));
    return out.sort((a, b) => a.start - b.start);
  },
};
