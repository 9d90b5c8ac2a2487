// Parameter pieces shared by the step schemas. Strings are bounded and patterned; nothing here
// can carry free text (contracts caps plain strings at 256 characters, these far lower).
import { z } from 'zod';
import { FieldNameSchema } from '@enclave/contracts';

/** A task file name (an input asset, a sealed field decrypted into scratch, or an output). */
export const fileParam = (fallback: string) => FieldNameSchema.default(fallback);

export const evenDimension = (min: number, max: number) =>
  z
    .int()
    .min(min)
    .max(max)
    .refine((n) => n % 2 === 0, 'must be even (H.264 with 4:2:0 chroma needs even sizes)');

export const fpsParam = z.number().min(1).max(60);
