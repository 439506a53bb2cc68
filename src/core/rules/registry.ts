import type { Rule } from './types';
import { SCHEMA_RULES } from './schema';
import { GATEWAY_RULES } from './gateway';
import { VIRTUAL_SERVICE_RULES } from './virtual-service';
import { DESTINATION_RULE_RULES } from './destination-rule';
import { PEER_AUTHENTICATION_RULES } from './peer-authentication';
import { CROSS_RULES } from './cross';
import { CREDENTIALS_RULES } from './credentials';
import { GATEWAY_API_RULES } from './gateway-api';
import { SIDECAR_RULES } from './sidecar';

/** Every rule meshtls runs, as an explicit list: a rule that is not listed here does not exist. */
export const RULES: readonly Rule[] = [
  ...SCHEMA_RULES,
  ...GATEWAY_RULES,
  ...VIRTUAL_SERVICE_RULES,
  ...DESTINATION_RULE_RULES,
  ...PEER_AUTHENTICATION_RULES,
  ...CROSS_RULES,
  ...CREDENTIALS_RULES,
  ...GATEWAY_API_RULES,
  ...SIDECAR_RULES,
];

/**
 * Rule ids that existed and were retired, with what replaced them. An id is never reused (a test holds the registry
 * to that), so a `.meshtls.yaml` or a suppression comment naming one cannot silently start meaning something else.
 */
export const RETIRED_RULE_IDS: Readonly<Record<string, string>> = {
  // The CRDs' own CEL rules and constraints say the same thing (issue 12).
  'peer-authentication-port-level-invalid': 'schema-cel-violation (port must be between 1-65535) and schema-size-out-of-range (empty portLevelMtls)',
  'peer-authentication-port-level-needs-selector': 'schema-cel-violation (portLevelMtls requires selector)',
  'peer-authentication-selector-invalid': 'schema-cel-violation (wildcard not allowed in label key/value match, key must not be empty)',
  'destination-rule-workload-selector-invalid': 'schema-cel-violation (wildcard not allowed in label key/value match, key must not be empty)',
};

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
