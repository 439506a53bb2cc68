import type { Rule } from '../types';
import { schemaUnknownApiVersion } from './unknown-api-version';
import { schemaUnknownField } from './unknown-field';
import { schemaInvalidType } from './invalid-type';
import { schemaInvalidEnum } from './invalid-enum';
import { schemaRequiredMissing } from './required-missing';
import { schemaValueOutOfRange } from './value-out-of-range';
import { schemaSizeOutOfRange } from './size-out-of-range';
import { schemaInvalidValue } from './invalid-value';
import { schemaOneOf } from './one-of';
import { schemaCelViolation } from './cel-violation';

export const SCHEMA_RULES: readonly Rule[] = [
  schemaUnknownApiVersion,
  schemaUnknownField,
  schemaInvalidType,
  schemaInvalidEnum,
  schemaRequiredMissing,
  schemaValueOutOfRange,
  schemaSizeOutOfRange,
  schemaInvalidValue,
  schemaOneOf,
  schemaCelViolation,
];

/**
 * The schema rules a JSON-schema validator also reports when an Istio schema is mapped in Red Hat's YAML extension
 * (`yaml.schemas`): with `meshtls.schemaValidation: auto` they are left to it. CEL rules, unsupported apiVersions and
 * schema-invalid-value (it also carries list-type uniqueness, which JSON schema cannot say) stay with meshtls.
 */
export const PLAIN_SCHEMA_RULE_IDS: readonly string[] = [
  schemaUnknownField.id,
  schemaInvalidType.id,
  schemaInvalidEnum.id,
  schemaRequiredMissing.id,
  schemaValueOutOfRange.id,
  schemaSizeOutOfRange.id,
  schemaOneOf.id,
];
