// Validation messages in Arabic: every message the job forms can show (the template schemas'
// own words and zod's defaults for each issue code) has an Arabic text, English stays as is.
import {
  CARD_NUMBER_MESSAGE,
  CreateEnrollmentTokenRequestSchema,
  TEMPLATE_PARAMS,
  TEMPLATE_IDS,
} from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf, initialValues, validateWith } from '../../src/components/schema-form.tsx';
import { validationText } from '../../src/i18n/validation.ts';

const ARABIC = /[\u0600-\u06FF]/;

/** Values that break each field of a template in every way its schema can refuse. */
function badValues(): Record<string, unknown>[] {
  const long = 'x'.repeat(3_000);
  return [
    {},
    { title: '', script: '', stills: [] },
    { title: long, script: long, stills: Array.from({ length: 21 }, (_, i) => `a${i}`) },
    { title: 3, script: true, stills: 'a', voice: 'fr', anonymiseFaces: 'yes' },
    { source: '', height: 999, codec: 'vp9', footage: 'bad id!', detector: 'slow' },
  ];
}

describe('validation messages in Arabic', () => {
  it('translates every message a template form can show', () => {
    const seen = new Set<string>();
    for (const id of TEMPLATE_IDS) {
      const schema = TEMPLATE_PARAMS[id];
      const fields = fieldsOf(schema);
      for (const values of badValues()) {
        const checked = validateWith(schema, fields, { ...initialValues(fields), ...values });
        for (const message of Object.values(checked.errors)) seen.add(message);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(8);
    for (const message of seen) {
      const arabic = validationText(message, 'ar');
      expect(arabic, message).toMatch(ARABIC);
      expect(validationText(message, 'en')).toBe(message);
    }
  });

  it("maps the contract's own messages word for word", () => {
    expect(validationText('must not be empty', 'ar')).toBe('يجب ألا يكون فارغًا');
    expect(validationText('needs at least one still', 'ar')).toBe('يلزم اختيار صورة ثابتة واحدة على الأقل');
    expect(validationText('required', 'ar')).toBe('مطلوب');
    expect(validationText(CARD_NUMBER_MESSAGE, 'ar')).toMatch(/بطاقة/);
  });

  it("maps zod's default message of each issue code, keeping the figures", () => {
    const issue = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues[0];
    const cases: [z.ZodType, unknown, string, RegExp][] = [
      [z.string().min(3), '', 'too_small', /3/],
      [z.string().max(2), 'abc', 'too_big', /2/],
      [z.array(z.string()).min(1), [], 'too_small', /1/],
      [z.number().min(1).max(60), 100, 'too_big', /60/],
      [z.number().min(1), 0, 'too_small', /1/],
      [z.string(), undefined, 'invalid_type', /مطلوب/],
      [z.int(), 1.5, 'invalid_type', /عددًا صحيحًا/],
      [z.enum(['a', 'b']), 'c', 'invalid_value', /"a"\|"b"/],
      [z.object({ a: z.string() }).strict(), { a: 'x', b: 1 }, 'unrecognized_keys', /"b"/],
      [z.string().regex(/^a$/), 'b', 'invalid_format', ARABIC],
      [z.union([z.literal(1), z.literal(2)]), 3, 'invalid_union', ARABIC],
    ];
    for (const [schema, value, code, expected] of cases) {
      const found = issue(schema, value);
      expect(found?.code).toBe(code);
      const arabic = validationText(found?.message ?? '', 'ar');
      expect(arabic, found?.message).toMatch(ARABIC);
      expect(arabic, found?.message).toMatch(expected);
    }
  });

  it('the enrollment form (a non-template schema) reads in Arabic too', () => {
    const result = CreateEnrollmentTokenRequestSchema.safeParse({ nodeId: '', ttlHours: 500 });
    for (const issue of result.error?.issues ?? []) {
      expect(validationText(issue.message, 'ar'), issue.message).toMatch(ARABIC);
    }
  });

  it('leaves a message it does not know in English rather than guess', () => {
    expect(validationText('the moon is not in phase', 'ar')).toBe('the moon is not in phase');
  });
});
