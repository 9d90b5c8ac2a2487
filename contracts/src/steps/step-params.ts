// Parameter schemas of the gpu-node steps. A step's parameters travel in `task.assign`, so they
// are part of the wire: the control plane's templates are checked against them at start-up and
// the node validates them again before running. Strings are bounded and patterned; nothing here
// can carry free text (client text only travels sealed, see EncryptedField).
import { z } from 'zod';
import { FieldNameSchema } from '../primitives.ts';

/** A task file name (an input asset, a sealed field decrypted into scratch, or an output). */
export const fileParam = (fallback: string) => FieldNameSchema.default(fallback);

export const evenDimension = (min: number, max: number) =>
  z
    .int()
    .min(min)
    .max(max)
    .refine((n) => n % 2 === 0, 'must be even (H.264 with 4:2:0 chroma needs even sizes)');

export const fpsParam = z.number().min(1).max(60);

export const TtsParamsSchema = z.strictObject({
  /** An espeak-ng voice: `en-gb`, `en-us`, `de`, `fr-fr`... */
  voice: z
    .string()
    .regex(/^[a-z]{2,3}(-[a-z0-9]{1,8}){0,2}$/, 'must be an espeak-ng voice name such as "en-gb"')
    .default('en-gb'),
  /** The sealed field holding the script (decrypted into a text task file of that name). */
  textField: fileParam('script'),
  /** Words per minute. */
  rate: z.int().min(80).max(450).default(160),
  sampleRate: z.union([z.literal(48_000), z.literal(44_100)]).default(48_000),
  output: fileParam('voiceover'),
});

export const CaptionsSrtParamsSchema = z.strictObject({
  textField: fileParam('script'),
  audio: fileParam('voiceover'),
  output: fileParam('captions'),
  /** Two lines of 42, the usual broadcast limit. */
  maxCueChars: z.int().min(20).max(200).default(84),
  maxLineChars: z.int().min(16).max(80).default(42),
  /** Below this level (dBFS) counts as silence. */
  silenceDb: z.number().min(-80).max(-10).default(-35),
  /** Shorter quiet stretches are not pauses (between words, plosives). */
  minSilenceMs: z.int().min(50).max(3000).default(200),
});

export const BurnInParamsSchema = z.strictObject({
  video: fileParam('video'),
  captions: fileParam('captions'),
  output: fileParam('video'),
  font: z
    .enum(['DejaVu Sans', 'DejaVu Sans Condensed', 'DejaVu Serif', 'DejaVu Sans Mono'])
    .default('DejaVu Sans'),
  /** Text height in pixels of the output frame. */
  size: z.int().min(8).max(200).default(32),
  outline: z.boolean().default(true),
  position: z.enum(['bottom', 'top']).default('bottom'),
});

export const FacesParamsSchema = z.strictObject({
  /** Image and video task files, each rewritten in place. */
  files: z.array(FieldNameSchema).min(1).max(64),
  /** `ssd` finds more faces (the default); `tiny` is several times faster and misses some. */
  detector: z.enum(['ssd', 'tiny']).default('ssd'),
  /**
   * Detection score threshold. Low on purpose: a false positive costs a pixelated patch, a
   * false negative shows a face.
   */
  minConfidence: z.number().min(0.05).max(0.95).default(0.4),
  margin: z.number().min(0).max(1).default(0.25),
  method: z.enum(['pixelate', 'fill']).default('pixelate'),
  blocks: z.int().min(2).max(32).default(8),
  /** Video: also hide the boxes of this many previous frames, bridging a missed detection. */
  holdFrames: z.int().min(0).max(10).default(1),
});

export const ComposeParamsSchema = z.strictObject({
  /** Task files in order: images and videos are shown one after another; one audio file is the voice-over. */
  layers: z.array(FieldNameSchema).min(1).max(64),
  width: evenDimension(16, 3840).default(1280),
  height: evenDimension(16, 2160).default(720),
  fps: fpsParam.default(25),
  /** Fill the frame by cropping, anchored here (0 = left/top, 1 = right/bottom); absent: letterbox. */
  crop: z.strictObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).optional(),
  /** Length without a voice-over. */
  durationSeconds: z.number().min(0.5).max(3600).optional(),
  output: fileParam('video'),
});

export const TranscodeStepParamsSchema = z
  .strictObject({
    input: fileParam('video'),
    output: fileParam('video'),
    width: evenDimension(16, 3840).optional(),
    height: evenDimension(16, 2160).optional(),
    crop: z.strictObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).optional(),
    fps: fpsParam.optional(),
  })
  .refine((p) => (p.width === undefined) === (p.height === undefined), {
    message: 'give both width and height, or neither',
    path: ['height'],
  });

export const ThumbnailParamsSchema = z.strictObject({
  input: fileParam('video'),
  output: fileParam('thumbnail'),
  /** Where to take the frame, as a fraction of the duration. */
  at: z.number().min(0).max(1).default(0.5),
  width: evenDimension(16, 3840).default(640),
});

export const SceneCutsParamsSchema = z.strictObject({
  input: fileParam('video'),
  output: fileParam('scenes'),
  /** scdet score (0..100) above which a frame starts a new scene. */
  threshold: z.number().min(1).max(100).default(10),
});
