// The step catalogue: every step type the gpu-node step library implements. Job templates in the
// control plane may only use these names, and the node's step registry must implement exactly
// these — the two sides meet here and nowhere else. Each entry carries its parameter schema.
import type { z } from 'zod';
import {
  BurnInParamsSchema,
  CaptionsSrtParamsSchema,
  ComposeParamsSchema,
  FacesParamsSchema,
  SceneCutsParamsSchema,
  ThumbnailParamsSchema,
  TranscodeStepParamsSchema,
  TtsParamsSchema,
} from './step-params.ts';
export const StepNeeds = {
  /** Runs on CPU slots only. */
  Cpu: 'cpu',
  /** Uses a GPU when the node has one, falls back to CPU otherwise (NVENC/libx264, WASM detectors). */
  GpuPreferred: 'gpu-preferred',
  /** Never placed on a CPU-only node. */
  Gpu: 'gpu',
} as const;
export type StepNeeds = (typeof StepNeeds)[keyof typeof StepNeeds];

export const STEP_CATALOGUE = {
  'tts.espeak': {
    needs: 'cpu',
    summary: 'Speech from a sealed script with espeak-ng, resampled to 48 kHz',
    params: TtsParamsSchema,
  },
  'captions.srt': {
    needs: 'cpu',
    summary: 'SRT captions from the script, timed by voice activity in the voice-over',
    params: CaptionsSrtParamsSchema,
  },
  'captions.burn-in': {
    needs: 'gpu-preferred',
    summary: 'Burns an SRT track into a video',
    params: BurnInParamsSchema,
  },
  'faces.anonymise': {
    // face-api runs on the tfjs WASM backend: CPU only, until a GPU detector is shipped.
    needs: 'cpu',
    summary: 'Detects faces per frame and blurs them (stills and video)',
    params: FacesParamsSchema,
  },
  'video.compose': {
    needs: 'gpu-preferred',
    summary: 'Stills or footage + audio → H.264/AAC MP4',
    params: ComposeParamsSchema,
  },
  'video.transcode': {
    needs: 'gpu-preferred',
    summary: 'Re-encodes a video to a target size and codec',
    params: TranscodeStepParamsSchema,
  },
  'video.thumbnail': {
    needs: 'cpu',
    summary: 'A JPEG thumbnail from a video',
    params: ThumbnailParamsSchema,
  },
  'video.scene-cuts': {
    needs: 'cpu',
    summary: 'Scene-cut timestamps with ffmpeg scdet',
    params: SceneCutsParamsSchema,
  },
} as const satisfies Record<string, { needs: StepNeeds; summary: string; params: z.ZodType }>;

export type StepName = keyof typeof STEP_CATALOGUE;
export const STEP_NAMES = Object.keys(STEP_CATALOGUE) as StepName[];

export function isKnownStep(name: string): name is StepName {
  return Object.hasOwn(STEP_CATALOGUE, name);
}
