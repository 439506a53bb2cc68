import type { Rule } from '../types';

export const SCHEMA_RULES: readonly Rule[] = [];
