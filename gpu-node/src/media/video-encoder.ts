// H.264 encoder choice: NVENC only when discovery found an NVIDIA GPU *and* this ffmpeg build
// has h264_nvenc (Debian's lists it even on machines without a GPU); libx264 otherwise.
import type { H264Encoder, HardwareProfile } from '../hardware/hardware-profile.ts';

export function chooseH264Encoder(hardware: HardwareProfile): H264Encoder {
  return hardware.gpus.length > 0 && hardware.h264Encoders.includes('h264_nvenc') ? 'h264_nvenc' : 'libx264';
}

/** Encoder arguments for a web-playable H.264 stream (yuv420p, comparable quality either way). */
export function h264Args(encoder: H264Encoder, fps?: number): string[] {
  const gop = fps === undefined ? [] : ['-g', String(Math.round(fps * 2))];
  if (encoder === 'h264_nvenc') {
    return [
      '-c:v',
      'h264_nvenc',
      '-preset',
      'p4',
      '-rc',
      'vbr',
      '-cq',
      '23',
      '-b:v',
      '0',
      '-pix_fmt',
      'yuv420p',
      ...gop,
    ];
  }
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', ...gop];
}

/** AAC at 48 kHz, the audio of every MP4 we write. */
export const AAC_ARGS = ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000'] as const;

/** Web delivery: moov atom first, and no metadata carried over from client files. */
export const MP4_TAIL_ARGS = ['-map_metadata', '-1', '-movflags', '+faststart'] as const;
