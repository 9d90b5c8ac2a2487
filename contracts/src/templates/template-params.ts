// Parameter schemas of the job templates. They live in contracts because the browser builds its
// forms from them and validates with the very same schemas as the server, so a producer sees the
// same message in the form as the API would return.
import { z } from 'zod';
import { EntityIdSchema } from '../primitives.ts';

const assetId = EntityIdSchema.describe('An uploaded asset of this project');

/** Client text: travels only sealed under the project key, never in task params. */
const ScriptSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2_000, 'must be at most 2,000 characters (about two minutes of speech)');

export const PromoVideoParamsSchema = z.object({
  title: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  script: ScriptSchema.describe('Voice-over script; also the captions'),
  stills: z
    .array(assetId)
    .min(1, 'needs at least one still')
    .max(20, 'at most 20 stills')
    .describe('Images shown in order, each for an equal share of the voice-over'),
  voice: z.enum(['en-gb', 'en-us', 'ar']).default('en-gb').describe('espeak-ng voice'),
  anonymiseFaces: z.boolean().default(true).describe('Blur every detected face in the stills'),
});
export type PromoVideoParams = z.infer<typeof PromoVideoParamsSchema>;

export const AnonymiseFootageParamsSchema = z.object({
  footage: assetId.describe('The uploaded video whose faces are blurred'),
  detector: z
    .enum(['accurate', 'fast'])
    .default('accurate')
    .describe('SSD MobileNet (accurate) or tiny detector (fast)'),
});
export type AnonymiseFootageParams = z.infer<typeof AnonymiseFootageParamsSchema>;

export const TranscodeParamsSchema = z.object({
  source: assetId.describe('The uploaded video to re-encode'),
  height: z.union([z.literal(360), z.literal(480), z.literal(720), z.literal(1080)]).default(720),
  codec: z.enum(['h264']).default('h264'),
});
export type TranscodeParams = z.infer<typeof TranscodeParamsSchema>;

/** Template id → its parameter schema. */
export const TEMPLATE_PARAMS = {
  'promo-video': PromoVideoParamsSchema,
  'anonymise-footage': AnonymiseFootageParamsSchema,
  transcode: TranscodeParamsSchema,
} as const;
export type TemplateId = keyof typeof TEMPLATE_PARAMS;
export const TEMPLATE_IDS = Object.keys(TEMPLATE_PARAMS) as TemplateId[];
