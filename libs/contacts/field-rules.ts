import type { EditableField } from './contact-fields.js';
import { normalizeCountry } from './field-rules/country.js';
import { normalizeDocument } from './field-rules/document.js';
import { normalizeEmail } from './field-rules/email.js';
import type { FieldRule, FieldRuleResult } from './field-rules/field-rule.js';
import { normalizeLanguage } from './field-rules/language.js';
import { normalizeName } from './field-rules/name.js';
import { normalizePhone } from './field-rules/phone.js';

export type { FieldRuleResult } from './field-rules/field-rule.js';

const RULES: Record<EditableField, FieldRule> = {
  name: normalizeName,
  phone: normalizePhone,
  email: normalizeEmail,
  country: normalizeCountry,
  language: normalizeLanguage,
  document: normalizeDocument,
};

/** Checks a value an agent entered (not empty: empty clears) and gives the value to store. */
export function normalizeField(field: EditableField, raw: string): FieldRuleResult {
  return RULES[field](raw);
}
