import type { Rule } from '../types';

export const VIRTUAL_SERVICE_RULES: readonly Rule[] = [];
