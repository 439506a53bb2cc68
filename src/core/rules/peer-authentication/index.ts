import type { Rule } from '../types';

export const PEER_AUTHENTICATION_RULES: readonly Rule[] = [];
