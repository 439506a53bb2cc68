import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** A value outside the CRD's enum (`mode: STRICTT`): the apiserver, the webhook and istioctl all reject it. */
export const schemaInvalidEnum: ResourceRule = {
  id: 'schema-invalid-enum',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: "Enum fields such as tls.mode and mtls.mode must use one of the values Istio's CRD lists.",
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'invalid-enum');
  },
};
