// The ffmpeg/espeak-ng steps one by one on generated media, with the real tools in the real
// sandbox: tts, transcode, scene cuts, thumbnail, and what cancellation and bad input do.
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep, type StepContext, type TaskSession } from '../src/index.ts';
import { ffmpeg, fixture, probe, testRuntime, type TestRuntime } from './support/runtime.ts';

const neverAborted = new AbortController().signal;

describe('media steps', () => {
  let env: TestRuntime;
  let task: TaskSession;
  const context = (progress: (f: number) => void = () => undefined): StepContext => ({
    ...task.context(),
    progress,
  });

  beforeAll(async () => {
    env = await testRuntime();
    task = await env.runtime.openTask('task-media');
    // 2 s red then 2 s blue at 720p/25 with a tone: a clip with one obvious cut at 2 s.
    await ffmpeg([
      ...[
        '-f',
        'lavfi',
        '-i',
        'color=c=red:s=1280x720:r=25:d=2',
        '-f',
        'lavfi',
        '-i',
        'color=c=blue:s=1280x720:r=25:d=2',
      ],
      ...['-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=4'],
      ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a'],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        task.files.pathFor('clip', 'video/mp4'),
      ],
    ]);
  }, 60_000);
  afterAll(async () => {
    await task.wipe();
    await env.close();
  });

  it('tts.espeak speaks the script file as 48 kHz mono WAV', async () => {
    await task.files.write(
      'script',
      'text/plain',
      'Hello from the render farm. Nothing leaves the building.',
    );
    await runStep(
      { step: 'tts.espeak', params: { voice: 'en-us', textField: 'script' } },
      context(),
      neverAborted,
    );
    const voice = await probe(task.files.pathFor('voiceover', 'audio/wav'));
    expect(voice.audio).toEqual({ codec: 'pcm_s16le', sampleRate: 48_000, channels: 1 });
    expect(voice.durationSeconds).toBeGreaterThan(2);
    expect(voice.durationSeconds).toBeLessThan(8);
  });

  it('tts.espeak fails hard on a voice espeak-ng does not have, without quoting the script', async () => {
    const run = runStep({ step: 'tts.espeak', params: { voice: 'xx-nope' } }, context(), neverAborted);
    await expect(run).rejects.toMatchObject({
      code: 'STEP_FAILED',
      failure: 'hard',
      message: 'espeak-ng failed during speech synthesis (exit code 1)',
      step: { index: 0, name: 'tts.espeak' },
    });
  });

  it('video.transcode resizes to 640×360 H.264/AAC and reports ffmpeg progress', async () => {
    const progress: number[] = [];
    await runStep(
      { step: 'video.transcode', params: { input: 'clip', output: 'small', width: 640, height: 360 } },
      context((f) => progress.push(f)),
      neverAborted,
    );
    const small = await probe(task.files.pathFor('small', 'video/mp4'));
    expect(small.video).toMatchObject({ codec: 'h264', width: 640, height: 360, pixelFormat: 'yuv420p' });
    expect(small.audio?.codec).toBe('aac');
    expect(small.durationSeconds).toBeCloseTo(4, 0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it('video.scene-cuts finds the one cut between the colour segments', async () => {
    await runStep({ step: 'video.scene-cuts', params: { input: 'clip' } }, context(), neverAborted);
    const report = JSON.parse(await readFile(task.files.pathFor('scenes', 'application/json'), 'utf8')) as {
      cuts: { timeSeconds: number; score: number }[];
      durationSeconds: number;
    };
    expect(report.cuts).toHaveLength(1);
    expect(report.cuts[0]?.timeSeconds).toBeCloseTo(2, 1);
    expect(report.durationSeconds).toBeCloseTo(4, 0);
  });

  it('video.thumbnail takes a JPEG at the requested point, scaled to its width', async () => {
    await runStep(
      { step: 'video.thumbnail', params: { input: 'clip', output: 'poster', at: 0.75, width: 320 } },
      context(),
      neverAborted,
    );
    const poster = await probe(task.files.pathFor('poster', 'image/jpeg'));
    expect(poster.video).toMatchObject({ width: 320, height: 180 });
    // Taken in the blue half: the centre pixel is blue.
    const [r, g, b] = await ffmpeg([
      '-i',
      task.files.pathFor('poster', 'image/jpeg'),
      '-vf',
      'crop=2:2,scale=1:1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
    expect(b).toBeGreaterThan(200);
    expect(Math.max(r!, g!)).toBeLessThan(60);
  });

  it('video.thumbnail takes a still JPEG as its input, scaled to its width', async () => {
    // A still has no duration to seek into (it failed with `rename ENOENT`, surfaced as INTERNAL).
    await task.files.write('still', 'image/jpeg', await readFile(fixture('chelsea')));
    const source = await probe(fixture('chelsea'));
    await runStep(
      { step: 'video.thumbnail', params: { input: 'still', output: 'stillPoster', at: 0.5, width: 200 } },
      context(),
      neverAborted,
    );
    const poster = await probe(task.files.pathFor('stillPoster', 'image/jpeg'));
    expect(poster.video).toMatchObject({ codec: 'mjpeg', width: 200 });
    const expectedHeight = (200 * source.video!.height) / source.video!.width;
    expect(Math.abs(poster.video!.height - expectedHeight)).toBeLessThanOrEqual(2);
    expect((await readdir(task.scratch.tmpDir)).filter((name) => name.startsWith('stillPoster'))).toEqual([]);
  });

  it('stops a running step on abort: CANCELLED, and no half-written output left behind', async () => {
    await task.files.write('bg', 'image/jpeg', await readFile(fixture('coffee')));
    const controller = new AbortController();
    const run = runStep(
      { step: 'video.compose', params: { layers: ['bg'], durationSeconds: 600, output: 'long' } },
      context((f) => {
        if (f > 0) controller.abort();
      }),
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({
      code: 'CANCELLED',
      failure: 'hard',
      step: { name: 'video.compose' },
    });
    expect(await task.files.find('long')).toBeUndefined();
    expect((await readdir(task.scratch.tmpDir)).filter((name) => name.startsWith('long'))).toEqual([]);
  }, 30_000);

  it('refuses input that is not what the step takes', async () => {
    await expect(
      runStep({ step: 'video.transcode', params: { input: 'script' } }, context(), neverAborted),
    ).rejects.toMatchObject({ code: 'STEP_FAILED', failure: 'hard' });
    await expect(
      runStep(
        { step: 'video.compose', params: { layers: ['voiceover', 'voiceover'] } },
        context(),
        neverAborted,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
