// captions.srt: the script cut into cues, timed against the voice-over, written as SRT before
// anything is burned in (so the caption track exists as a deliverable of its own).
// Voice activity comes from ffmpeg's silencedetect: an energy threshold, not a neural VAD. It
// is exact on synthetic speech over silence and weaker under music or noise; silero VAD could
// replace it behind the same speechSegments() result.
import type { z } from 'zod';
import { CaptionsSrtParamsSchema, TaskFailureCode } from '@enclave/contracts';
import { splitIntoCues, timeCues } from '../captions/cues.ts';
import { formatSrt } from '../captions/srt.ts';
import { parseSilences, speechSegments } from '../media/ffmpeg-log.parser.ts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';

export type CaptionsSrtParams = z.infer<typeof CaptionsSrtParamsSchema>;

export const captionsSrtStep = defineStep<CaptionsSrtParams>({
  name: 'captions.srt',
  needs: 'cpu',
  summary: 'SRT captions from the script, timed by voice activity (energy VAD) on the voice-over',
  params: CaptionsSrtParamsSchema,
  files: (p) => ({ inputs: [p.textField, p.audio], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const script = await ctx.files.readText(p.textField);
    const audio = await ctx.files.require(p.audio);
    const info = await probeMedia(ctx, audio.path, signal);
    const duration = info.durationSeconds;
    if (info.audio === null || duration === null || duration <= 0) {
      throw hardError(
        TaskFailureCode.INVALID_PARAMS,
        'captions.srt needs an audio task file with a duration',
      );
    }
    const texts = splitIntoCues(script, p.maxCueChars);
    if (texts.length === 0)
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'the script has no text to caption');
    const lines: string[] = [];
    await runFfmpeg(ctx, {
      args: [
        ...['-i', audio.path, '-map', '0:a:0'],
        ...['-af', `silencedetect=noise=${p.silenceDb}dB:d=${p.minSilenceMs / 1000}`, '-f', 'null', '-'],
      ],
      stage: 'voice activity detection',
      expectedDurationSeconds: duration,
      progress: (f) => ctx.progress(f * 0.9),
      onStderrLine: (line) => {
        if (line.includes('silence_')) lines.push(line);
      },
      signal,
    });
    const speech = speechSegments(parseSilences(lines, duration), duration);
    const cues = timeCues(texts, speech, duration);
    await ctx.files.write(p.output, 'application/x-subrip', formatSrt(cues, p.maxLineChars));
    ctx.log.info('captions.srt.done', { cues: cues.length, speechSegments: speech.length });
    ctx.progress(1);
  },
});
