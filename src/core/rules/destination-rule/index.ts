import type { Rule } from '../types';
import { destinationRuleHostInvalid } from './host-invalid';
import { destinationRuleTrafficPolicyInvalid } from './traffic-policy-invalid';
import { destinationRuleSubsetInvalid } from './subset-invalid';
import { destinationRuleExportToInvalid } from './export-to-invalid';
import { destinationRuleWorkloadSelectorEmpty } from './workload-selector-empty';
import { destinationRuleTlsCredentialConflict } from './tls-credential-conflict';
import { destinationRuleTlsClientCertificateMissing } from './tls-client-certificate-missing';
import { destinationRuleTlsInsecureSkipVerifyConflict } from './tls-insecure-skip-verify-conflict';
import { destinationRuleTlsNoCaCertificates } from './tls-no-ca-certificates';
import { destinationRulePortTlsNoCaCertificates } from './port-tls-no-ca-certificates';
import { destinationRuleConnectionPoolInvalid } from './connection-pool-invalid';
import { destinationRuleOutlierDetectionInvalid } from './outlier-detection-invalid';
import { destinationRuleLoadBalancerInvalid } from './load-balancer-invalid';

export const DESTINATION_RULE_RULES: readonly Rule[] = [
  destinationRuleHostInvalid,
  destinationRuleTrafficPolicyInvalid,
  destinationRuleSubsetInvalid,
  destinationRuleExportToInvalid,
  destinationRuleWorkloadSelectorEmpty,
  destinationRuleTlsCredentialConflict,
  destinationRuleTlsClientCertificateMissing,
  destinationRuleTlsInsecureSkipVerifyConflict,
  destinationRuleTlsNoCaCertificates,
  destinationRulePortTlsNoCaCertificates,
  destinationRuleConnectionPoolInvalid,
  destinationRuleOutlierDetectionInvalid,
  destinationRuleLoadBalancerInvalid,
];
