import type { Rule } from '../types';

export const CROSS_RULES: readonly Rule[] = [];
