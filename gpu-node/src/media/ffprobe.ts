// What a media file is, from ffprobe's JSON (run in the sandbox like every tool: the file is
// untrusted input and ffprobe's demuxers parse it).
import { z } from 'zod';
import { TaskFailureCode } from '@enclave/contracts';
import { hardError } from '../pipeline/step-error.ts';
import { assertSucceeded, startingTool } from './tool-exit.ts';
import type { ToolRunContext } from './tool-run-context.ts';

export interface VideoStreamInfo {
  readonly codec: string;
  /** Display size: rotation metadata (phones) already applied. */
  readonly width: number;
  readonly height: number;
  readonly fps: number | null;
  readonly frames: number | null;
  readonly pixelFormat: string | null;
}

export interface AudioStreamInfo {
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
}

export interface MediaInfo {
  readonly formatName: string;
  readonly durationSeconds: number | null;
  readonly video: VideoStreamInfo | null;
  readonly audio: AudioStreamInfo | null;
}

const numeric = z.union([z.string(), z.number()]).optional();
const ProbeSchema = z.object({
  format: z.object({ format_name: z.string().default(''), duration: numeric }).default({ format_name: '' }),
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().default('unknown'),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        nb_frames: numeric,
        pix_fmt: z.string().optional(),
        sample_rate: numeric,
        channels: z.number().optional(),
        side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional(),
      }),
    )
    .default([]),
});

function number(value: string | number | undefined): number | null {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? null : n;
}

/** "30000/1001" → 29.97; "0/0" → null. */
export function parseRate(rate: string | undefined): number | null {
  const [num, den] = (rate ?? '').split('/').map(Number);
  if (num === undefined || den === undefined || !(num > 0) || !(den > 0)) return null;
  return num / den;
}

export function toMediaInfo(json: unknown): MediaInfo {
  const probe = ProbeSchema.parse(json);
  const v = probe.streams.find((s) => s.codec_type === 'video');
  const a = probe.streams.find((s) => s.codec_type === 'audio');
  const rotation = Math.abs(v?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0) % 180;
  const [w, h] = rotation === 90 ? [v?.height, v?.width] : [v?.width, v?.height];
  return {
    formatName: probe.format.format_name,
    durationSeconds: number(probe.format.duration),
    video:
      v === undefined || w === undefined || h === undefined
        ? null
        : {
            codec: v.codec_name,
            width: w,
            height: h,
            fps: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate),
            frames: number(v.nb_frames),
            pixelFormat: v.pix_fmt ?? null,
          },
    audio:
      a === undefined
        ? null
        : { codec: a.codec_name, sampleRate: number(a.sample_rate) ?? 0, channels: a.channels ?? 0 },
  };
}

export async function probeMedia(
  ctx: ToolRunContext,
  path: string,
  signal?: AbortSignal,
): Promise<MediaInfo> {
  const result = await startingTool('ffprobe', () =>
    ctx.sandbox.run({
      command: ctx.tools.ffprobe,
      args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      workdir: ctx.workdir,
      signal,
      timeoutMs: 60_000,
    }),
  );
  assertSucceeded('ffprobe', 'probing', result);
  try {
    return toMediaInfo(JSON.parse(result.stdout.toString('utf8')));
  } catch {
    throw hardError(TaskFailureCode.INPUT_INTEGRITY, 'ffprobe could not describe a task file');
  }
}
