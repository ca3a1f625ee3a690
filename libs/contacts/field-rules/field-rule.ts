/** The outcome of checking one value: the value to store, or a formatting tip for the user. */
export type FieldRuleResult = { ok: true; value: string } | { ok: false; message: string };

export type FieldRule = (raw: string) => FieldRuleResult;

export const accepted = (value: string): FieldRuleResult => ({ ok: true, value });
export const refused = (message: string): FieldRuleResult => ({ ok: false, message });
