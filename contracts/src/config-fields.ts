// Environment values are strings. These turn them into typed values strictly, because the
// obvious `z.coerce.boolean()` reads "false" as true and `z.coerce.number()` reads "" as 0.
import { z } from 'zod';

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export function envBoolean() {
  return z
    .string()
    .refine((text) => TRUE.includes(text.toLowerCase()) || FALSE.includes(text.toLowerCase()), {
      message: `must be one of ${[...TRUE, ...FALSE].join(', ')}`,
    })
    .transform((text) => TRUE.includes(text.toLowerCase()));
}

export function envInteger(range: { min?: number; max?: number } = {}) {
  let int = z.int();
  if (range.min !== undefined) int = int.min(range.min);
  if (range.max !== undefined) int = int.max(range.max);
  return z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform((text) => Number(text))
    .pipe(int);
}

export function envPort() {
  return envInteger({ min: 1, max: 65_535 });
}

/** Comma-separated, items trimmed, empty items dropped; at least one item. */
export function envList<I extends z.ZodType<unknown, string>>(item: I) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(item).min(1, 'must list at least one item, separated by commas'));
}
