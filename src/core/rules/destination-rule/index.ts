import type { Rule } from '../types';
import { destinationRuleHostInvalid } from './host-invalid';
import { destinationRuleTrafficPolicyInvalid } from './traffic-policy-invalid';
import { destinationRuleSubsetInvalid } from './subset-invalid';
import { destinationRuleExportToInvalid } from './export-to-invalid';
import { destinationRuleWorkloadSelectorEmpty } from './workload-selector-empty';
import { destinationRuleTlsCredentialConflict } from './tls-credential-conflict';
import { destinationRuleTlsClientCertificateMissing } from './tls-client-certificate-missing';
import { destinationRuleTlsInsecureSkipVerifyConflict } from './tls-insecure-skip-verify-conflict';

export const DESTINATION_RULE_RULES: readonly Rule[] = [
  destinationRuleHostInvalid,
  destinationRuleTrafficPolicyInvalid,
  destinationRuleSubsetInvalid,
  destinationRuleExportToInvalid,
  destinationRuleWorkloadSelectorEmpty,
  destinationRuleTlsCredentialConflict,
  destinationRuleTlsClientCertificateMissing,
  destinationRuleTlsInsecureSkipVerifyConflict,
];
