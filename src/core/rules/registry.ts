import type { Rule } from './types';
import { SCHEMA_RULES } from './schema';
import { GATEWAY_RULES } from './gateway';
import { VIRTUAL_SERVICE_RULES } from './virtual-service';
import { DESTINATION_RULE_RULES } from './destination-rule';
import { PEER_AUTHENTICATION_RULES } from './peer-authentication';
import { CROSS_RULES } from './cross';
import { CREDENTIALS_RULES } from './credentials';
import { GATEWAY_API_RULES } from './gateway-api';

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
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
