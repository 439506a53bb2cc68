import type { Rule } from '../types';
import { peerAuthenticationSelectorEmpty } from './selector-empty';

export const PEER_AUTHENTICATION_RULES: readonly Rule[] = [
  peerAuthenticationSelectorEmpty,
];
