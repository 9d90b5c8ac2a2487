// Which H.264 encoders this node's ffmpeg build has. Listing an encoder is not being able to
// use it: Debian's ffmpeg lists h264_nvenc everywhere, so NVENC also needs a discovered GPU.
import type { ProcessRunner } from '../process/process-runner.ts';
import type { H264Encoder } from '../hardware/hardware-profile.ts';

const KNOWN: readonly H264Encoder[] = ['libx264', 'h264_nvenc'];

/** Encoder names from `ffmpeg -encoders` (lines like ` V....D libx264   libx264 H.264 ...`). */
export function parseEncoderList(text: string): H264Encoder[] {
  const names = new Set(
    text
      .split('\n')
      .map((line) => /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  return KNOWN.filter((name) => names.has(name));
}

export async function listH264Encoders(runner: ProcessRunner, ffmpeg = 'ffmpeg'): Promise<H264Encoder[]> {
  try {
    const result = await runner.run({
      command: ffmpeg,
      args: ['-hide_banner', '-encoders'],
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' },
      timeoutMs: 15_000,
    });
    return result.code === 0 ? parseEncoderList(result.stdout.toString('utf8')) : [];
  } catch {
    return []; // no ffmpeg: no video steps can run, which the operator sees in the profile
  }
}
