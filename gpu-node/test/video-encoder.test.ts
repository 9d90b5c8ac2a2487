// Encoder choice and the compose command line: pure logic.
import { describe, expect, it } from 'vitest';
import { parseEncoderList } from '../src/media/ffmpeg-capabilities.ts';
import { chooseH264Encoder, h264Args } from '../src/media/video-encoder.ts';
import { composeArgs, fitFilter, frameShares } from '../src/steps/video-compose.step.ts';
import { ComposeParamsSchema } from '@enclave/contracts';
import { cpuOnly, withH200 } from './support/hardware.ts';

describe('H.264 encoder choice', () => {
  it('uses NVENC only with an NVIDIA GPU and an ffmpeg that has it', () => {
    expect(chooseH264Encoder(withH200)).toBe('h264_nvenc');
    expect(chooseH264Encoder(cpuOnly)).toBe('libx264');
    expect(chooseH264Encoder({ ...withH200, h264Encoders: ['libx264'] })).toBe('libx264');
    expect(chooseH264Encoder({ ...cpuOnly, h264Encoders: ['libx264', 'h264_nvenc'] })).toBe('libx264');
  });

  it('gives yuv420p either way', () => {
    expect(h264Args('h264_nvenc', 25)).toEqual(expect.arrayContaining(['h264_nvenc', 'yuv420p', '-g', '50']));
    expect(h264Args('libx264')).toEqual(expect.arrayContaining(['libx264', 'yuv420p']));
  });

  it('reads encoder names from `ffmpeg -encoders` (Debian 12 lists NVENC without a GPU)', () => {
    const listing = [
      'Encoders:',
      ' V..... = Video',
      ' ------',
      ' V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)',
      ' V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)',
      ' A..... aac                  AAC (Advanced Audio Coding)',
    ].join('\n');
    expect(parseEncoderList(listing)).toEqual(['libx264', 'h264_nvenc']);
    expect(parseEncoderList(' A..... aac  AAC')).toEqual([]);
  });
});

describe('video.compose command line', () => {
  it('shares frames equally, summing exactly to the total', () => {
    expect(frameShares(160, 3)).toEqual([53, 53, 54]);
    expect(frameShares(2, 3)).toEqual([0, 1, 1]);
    expect(frameShares(100, 1)).toEqual([100]);
  });

  it('letterboxes by default and crops at the anchor when asked', () => {
    expect(fitFilter({ width: 1280, height: 720 })).toContain('pad=1280:720');
    expect(fitFilter({ width: 1280, height: 720, crop: { x: 0.5, y: 0 } })).toBe(
      'scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720:(iw-1280)*0.5:(ih-720)*0',
    );
  });

  it('maps stills, the voice-over and the output length', () => {
    const p = ComposeParamsSchema.parse({ layers: ['a', 'b', 'v'] });
    const files = [
      { name: 'a', path: '/s/files/a.jpg', mediaType: 'image/jpeg' as const },
      { name: 'b', path: '/s/files/b.mp4', mediaType: 'video/mp4' as const },
    ];
    const voice = { name: 'v', path: '/s/files/v.wav', mediaType: 'audio/wav' as const };
    const args = composeArgs(files, voice, 6.4, p, h264Args('libx264', 25), '/s/tmp/out.mp4');
    expect(args.join(' ')).toContain('-loop 1 -framerate 25 -t 4.200 -i /s/files/a.jpg');
    expect(args.join(' ')).toContain('-stream_loop -1 -t 4.200 -i /s/files/b.mp4');
    expect(args.join(' ')).toContain('trim=end_frame=80');
    expect(args).toEqual(expect.arrayContaining(['-map', '2:a:0', '-t', '6.400', '+faststart']));
    expect(args.at(-1)).toBe('/s/tmp/out.mp4');
  });
});
