import type { Rule } from '../types';
import { peerAuthenticationPortLevelNeedsSelector } from './port-level-needs-selector';
import { peerAuthenticationPortLevelInvalid } from './port-level-invalid';
import { peerAuthenticationSelectorInvalid } from './selector-invalid';
import { peerAuthenticationSelectorEmpty } from './selector-empty';

export const PEER_AUTHENTICATION_RULES: readonly Rule[] = [
  peerAuthenticationPortLevelNeedsSelector,
  peerAuthenticationPortLevelInvalid,
  peerAuthenticationSelectorInvalid,
  peerAuthenticationSelectorEmpty,
];
