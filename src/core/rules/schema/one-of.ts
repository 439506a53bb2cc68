import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** Two fields of a protobuf `oneof` set together (`simple` and `consistentHash`, `exact` and `prefix`): the CRD's `oneOf` rejects the resource, where Istio's proto would silently keep only one. */
export const schemaOneOf: ResourceRule = {
  id: 'schema-one-of',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Fields the CRD declares mutually exclusive (oneOf) must not be set together.",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'one-of');
  },
};
