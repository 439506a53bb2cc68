import type { ResourceRule } from '../types';
import { SCHEMA_KINDS, schemaFindings } from './to-findings';

/** An Istio kind under a version its CRD does not serve: `kubectl apply` fails with "no matches for kind". */
export const schemaUnknownApiVersion: ResourceRule = {
  id: 'schema-unknown-api-version',
  defaultSeverity: 'error',
  kinds: SCHEMA_KINDS,
  summary: 'Istio kinds must use an apiVersion their CRD serves (e.g. networking.istio.io/v1).',
  scope: 'resource',
  check(resource) {
    return schemaFindings(this, resource, 'unknown-api-version');
  },
};
