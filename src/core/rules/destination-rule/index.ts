import type { Rule } from '../types';

export const DESTINATION_RULE_RULES: readonly Rule[] = [];
