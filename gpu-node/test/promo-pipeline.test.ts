// Acceptance (issue #5): a promo video from three stills (one with a face) and a two-sentence
// script, through the real step library: tts → captions.srt → faces.anonymise → video.compose →
// captions.burn-in → video.thumbnail. Real espeak-ng, ffmpeg, face-api; no doubles.
import { copyFile, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepSpec } from '@enclave/contracts';
import { FaceDetector, runPipeline, type PipelineProgress, type TaskSession } from '../src/index.ts';
import { parseSrt } from '../src/captions/srt.ts';
import { fixture, probe, rgbFrames, testRuntime, type TestRuntime } from './support/runtime.ts';

const SCRIPT =
  'Meet the crew that takes coffee seriously, even in orbit. Every frame is made on our own hardware.';

const STEPS: StepSpec[] = [
  { step: 'tts.espeak', params: { voice: 'en-gb', textField: 'script', sampleRate: 48_000 } },
  { step: 'captions.srt', params: { textField: 'script', audio: 'voiceover', output: 'captions' } },
  { step: 'faces.anonymise', params: { files: ['still1', 'still2', 'still3'] } },
  {
    step: 'video.compose',
    params: { layers: ['still1', 'still2', 'still3', 'voiceover'], width: 1280, height: 720, fps: 25 },
  },
  {
    step: 'captions.burn-in',
    params: { video: 'video', captions: 'captions', font: 'DejaVu Sans', size: 32 },
  },
  { step: 'video.thumbnail', params: { input: 'video', output: 'thumbnail' } },
];

describe('promo-video pipeline (three stills, two sentences)', () => {
  let env: TestRuntime;
  let task: TaskSession;
  const progress: PipelineProgress[] = [];
  let srtBeforeBurnIn = '';

  beforeAll(async () => {
    env = await testRuntime();
    task = await env.runtime.openTask('task-promo-1');
    await task.files.write('script', 'text/plain', SCRIPT);
    await copyFile(fixture('astronaut'), task.files.pathFor('still1', 'image/jpeg'));
    await copyFile(fixture('coffee'), task.files.pathFor('still2', 'image/jpeg'));
    await copyFile(fixture('chelsea'), task.files.pathFor('still3', 'image/jpeg'));
    const onProgress = (update: PipelineProgress): void => {
      progress.push(update);
      // The caption track must exist as a file before anything is burned in.
      if (update.stage === 'captions.burn-in' && srtBeforeBurnIn === '') {
        srtBeforeBurnIn = 'pending';
        void readFile(task.files.pathFor('captions', 'application/x-subrip'), 'utf8').then((srt) => {
          srtBeforeBurnIn = srt;
        });
      }
    };
    const result = await runPipeline(STEPS, task.context(onProgress), new AbortController().signal);
    expect(result.steps.map((s) => s.step)).toEqual(STEPS.map((s) => s.step));
  }, 150_000);

  afterAll(async () => {
    await task.wipe();
    await env.close();
  });

  it('writes H.264 + AAC at 1280×720, as long as the voice-over (±0.5 s)', async () => {
    const voice = await probe(task.files.pathFor('voiceover', 'audio/wav'));
    const video = await probe(task.files.pathFor('video', 'video/mp4'));
    expect(voice.audio?.sampleRate).toBe(48_000);
    expect(video.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, pixelFormat: 'yuv420p' });
    expect(video.audio?.codec).toBe('aac');
    expect(Math.abs((video.durationSeconds ?? 0) - (voice.durationSeconds ?? 0))).toBeLessThan(0.5);
  });

  it('wrote the SRT caption track before burn-in, one cue per sentence, inside the voice-over', async () => {
    const voice = await probe(task.files.pathFor('voiceover', 'audio/wav'));
    expect(srtBeforeBurnIn).toContain('-->');
    const cues = parseSrt(srtBeforeBurnIn);
    expect(cues).toHaveLength(2);
    expect(cues[0]?.text.replace('\n', ' ')).toBe(
      'Meet the crew that takes coffee seriously, even in orbit.',
    );
    expect(cues[0]!.end).toBeLessThanOrEqual(cues[1]!.start);
    expect(cues[1]!.end).toBeLessThanOrEqual((voice.durationSeconds ?? 0) + 0.001);
  });

  it('leaves no detectable face in the output frames, where the input had one', async () => {
    const detector = await FaceDetector.load(env.runtime.models, ['ssd']);
    const input = await rgbFrames(fixture('astronaut'), 512, 512);
    expect(await detector.detect(input[0]!, 512, 512, { kind: 'ssd', minConfidence: 0.4 })).not.toHaveLength(
      0,
    );
    const frames = await rgbFrames(task.files.pathFor('video', 'video/mp4'), 1280, 720, 1);
    expect(frames.length).toBeGreaterThanOrEqual(4);
    for (const frame of frames) {
      expect(await detector.detect(frame, 1280, 720, { kind: 'ssd', minConfidence: 0.4 })).toEqual([]);
    }
  }, 60_000);

  it('made a thumbnail and reported progress that only goes forward, step by step', async () => {
    const thumbnail = await probe(task.files.pathFor('thumbnail', 'image/jpeg'));
    expect(thumbnail.video?.width).toBe(640);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(STEPS.map((s) => s.step)));
  });
});
