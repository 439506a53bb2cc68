import type { Rule } from '../types';
import type { CredentialRule } from './analysis';
import { credentialUnresolved } from './unresolved';
import { credentialWrongNamespace } from './wrong-namespace';
import { credentialReservedName } from './reserved-name';
import { credentialSecretKeys } from './secret-keys';
import { pemMalformed } from './pem-malformed';
import { keyUnusable } from './key-unusable';
import { keyCertMismatch } from './key-mismatch';
import { certExpired } from './expired';
import { certExpiringSoon } from './expiring-soon';
import { certNotYetValid } from './not-yet-valid';
import { certNoSan } from './no-san';
import { certHostMismatch } from './host-mismatch';
import { certChainIncomplete } from './chain-incomplete';
import { certChainOrder } from './chain-order';
import { certChainOutsideBundle } from './chain-outside-bundle';
import { mutualWithoutCa } from './mutual-without-ca';
import { clientCaMismatch } from './client-ca-mismatch';
import { certKeyUsage } from './key-usage';
import { certCaAsServer } from './ca-as-server';
import { certWeakKey } from './weak-key';
import { certSha1Signature } from './sha1-signature';
import { certKeyUnsupported } from './key-unsupported';
import { clientCaNoRoot } from './client-ca-no-root';
import { certChainInvalid } from './chain-invalid';

/** Credential rules in the order the hover lists their checks. */
export const CREDENTIAL_CHECKS: readonly CredentialRule[] = [
  credentialUnresolved,
  credentialWrongNamespace,
  credentialReservedName,
  credentialSecretKeys,
  pemMalformed,
  keyUnusable,
  keyCertMismatch,
  certExpired,
  certExpiringSoon,
  certNotYetValid,
  certNoSan,
  certHostMismatch,
  certChainInvalid,
  certChainIncomplete,
  certChainOrder,
  certChainOutsideBundle,
  mutualWithoutCa,
  clientCaNoRoot,
  clientCaMismatch,
  certKeyUsage,
  certCaAsServer,
  certKeyUnsupported,
  certWeakKey,
  certSha1Signature,
];

export const CREDENTIALS_RULES: readonly Rule[] = CREDENTIAL_CHECKS;
