// What the faces.anonymise step tells its worker process (one JSON argument) and what the
// worker answers (JSON lines on stdout). Paths and numbers only: no client content travels.
import { z } from 'zod';
import { ModelManifestSchema } from '../models/model-manifest.ts';

export const FacesJobSchema = z.strictObject({
  kind: z.enum(['image', 'video']),
  input: z.string().min(1),
  output: z.string().min(1),
  width: z.int().min(1).max(8192),
  height: z.int().min(1).max(8192),
  /** Constant output frame rate (video only); the decoder is told to produce exactly this. */
  fps: z.number().positive().max(240).nullable(),
  hasAudio: z.boolean(),
});

export const FacesWorkerConfigSchema = z.strictObject({
  modelRoot: z.string().min(1),
  manifest: ModelManifestSchema,
  detector: z.enum(['ssd', 'tiny']),
  minConfidence: z.number().min(0.01).max(0.99),
  margin: z.number().min(0).max(1),
  method: z.enum(['pixelate', 'fill']),
  blocks: z.int().min(2).max(64),
  /** Also hide the previous frame's boxes: one missed detection does not unmask a face. */
  holdFrames: z.int().min(0).max(10),
  ffmpeg: z.string().min(1),
  /** Video codec arguments for the output (libx264 or NVENC), chosen by the step. */
  videoEncoderArgs: z.array(z.string()).max(32),
  jobs: z.array(FacesJobSchema).min(1).max(64),
});

export type FacesJob = z.infer<typeof FacesJobSchema>;
export type FacesWorkerConfig = z.infer<typeof FacesWorkerConfigSchema>;

export type FacesWorkerEvent =
  | { readonly event: 'ready'; readonly loadMs: number }
  | { readonly event: 'frame'; readonly job: number; readonly frame: number; readonly faces: number }
  | {
      readonly event: 'done';
      readonly job: number;
      readonly frames: number;
      readonly faces: number;
      readonly framesWithFaces: number;
    };

export function parseWorkerEvent(line: string): FacesWorkerEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as { event?: unknown };
    return value.event === 'ready' || value.event === 'frame' || value.event === 'done'
      ? (value as FacesWorkerEvent)
      : null;
  } catch {
    return null;
  }
}
