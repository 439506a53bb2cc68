import type { Rule } from '../types';

export const CREDENTIALS_RULES: readonly Rule[] = [];
