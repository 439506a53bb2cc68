import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** A value of the wrong JSON type (a quoted port number, a list where an object belongs): the apiserver rejects it. */
export const schemaInvalidType: ResourceRule = {
  id: 'schema-invalid-type',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Values must have the type Istio's CRD schema declares (string, integer, boolean, object, list).",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'invalid-type');
  },
};
