import type { Rule } from '../types';
import { schemaUnknownApiVersion } from './unknown-api-version';
import { schemaUnknownField } from './unknown-field';
import { schemaInvalidType } from './invalid-type';
import { schemaInvalidEnum } from './invalid-enum';

export const SCHEMA_RULES: readonly Rule[] = [schemaUnknownApiVersion, schemaUnknownField, schemaInvalidType, schemaInvalidEnum];
