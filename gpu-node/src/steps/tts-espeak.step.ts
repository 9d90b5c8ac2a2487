// tts.espeak: script → voice-over. espeak-ng writes 22.05 kHz mono WAV; ffmpeg resamples it to
// 48 kHz (video's audio rate) so compose never resamples. The script is a task file the agent
// decrypted from a sealed field; it is read by espeak-ng from disk, never passed as an argument.
import type { z } from 'zod';
import { TaskFailureCode, TtsParamsSchema } from '@enclave/contracts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { assertSucceeded, startingTool } from '../media/tool-exit.ts';

/** Scripts are short promo texts; a megabyte of text is a mistake, not a voice-over. */
const MAX_SCRIPT_BYTES = 64 * 1024;

export type TtsParams = z.infer<typeof TtsParamsSchema>;

export const ttsEspeakStep = defineStep<TtsParams>({
  name: 'tts.espeak',
  needs: 'cpu',
  summary: 'Speech from the script with espeak-ng, resampled to 48 kHz mono WAV',
  params: TtsParamsSchema,
  files: (p) => ({ inputs: [p.textField], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const script = await ctx.files.require(p.textField);
    if (script.mediaType !== 'text/plain') {
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'tts.espeak reads a text task file');
    }
    if ((await ctx.files.sizeBytes(script)) > MAX_SCRIPT_BYTES) {
      throw hardError(TaskFailureCode.INVALID_PARAMS, `the script is longer than ${MAX_SCRIPT_BYTES} bytes`);
    }
    const raw = ctx.files.tempPathFor(`${p.output}_raw`, 'audio/wav');
    const resampled = ctx.files.tempPathFor(p.output, 'audio/wav');
    try {
      const speak = await startingTool('espeak-ng', () =>
        ctx.sandbox.run({
          command: ctx.tools.espeak,
          args: ['-v', p.voice, '-s', String(p.rate), '-b', '1', '-w', raw, '-f', script.path],
          workdir: ctx.workdir,
          signal,
          timeoutMs: 300_000,
        }),
      );
      assertSucceeded('espeak-ng', 'speech synthesis', speak);
      ctx.progress(0.5, 'speech synthesised');
      await runFfmpeg(ctx, {
        args: ['-i', raw, '-af', `aresample=${p.sampleRate}`, '-ac', '1', '-c:a', 'pcm_s16le', resampled],
        stage: 'resampling',
        expectedDurationSeconds: null,
        signal,
      });
      const info = await probeMedia(ctx, resampled, signal);
      if (!(info.durationSeconds !== null && info.durationSeconds > 0.05)) {
        throw hardError(TaskFailureCode.INVALID_PARAMS, 'the script produced no speech');
      }
      await ctx.files.commit(resampled, p.output, 'audio/wav');
      ctx.log.info('tts.done', {
        durationMs: Math.round(info.durationSeconds * 1000),
        sampleRate: p.sampleRate,
      });
      ctx.progress(1);
    } finally {
      await ctx.files.discard(raw, resampled);
    }
  },
});
