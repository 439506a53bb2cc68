import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/**
 * A field the CRD does not declare. The apiserver prunes it silently, so the setting never takes effect;
 * `kubectl --validate=strict` and `istioctl validate` reject the resource instead.
 */
export const schemaUnknownField: ResourceRule = {
  id: 'schema-unknown-field',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Fields must exist in Istio's CRD schema (unknown fields are silently dropped).",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'unknown-field');
  },
};
