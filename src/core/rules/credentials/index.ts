import type { Rule } from '../types';
import type { CredentialRule } from './analysis';
import { credentialUnresolved } from './unresolved';
import { credentialWrongNamespace } from './wrong-namespace';

/** Credential rules in the order the hover lists their checks. */
export const CREDENTIAL_CHECKS: readonly CredentialRule[] = [credentialUnresolved, credentialWrongNamespace];

export const CREDENTIALS_RULES: readonly Rule[] = CREDENTIAL_CHECKS;
