// Face detection and anonymisation with the real detector (face-api weights from its package,
// tfjs WASM) on the fixture stills and on a generated 720p clip, through the real step (its
// worker in the sandbox, real ffmpeg on both sides).
import { copyFile, cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector, StepError, runStep, type TaskSession } from '../src/index.ts';
import { ffmpeg, fixture, probe, rgbFrames, testRuntime, type TestRuntime } from './support/runtime.ts';

const neverAborted = new AbortController().signal;

describe('face detector on the fixture stills', () => {
  let env: TestRuntime;
  let detector: FaceDetector;
  const detect = async (name: 'astronaut' | 'coffee' | 'chelsea', kind: 'ssd' | 'tiny') => {
    const info = await probe(fixture(name));
    const [frame] = await rgbFrames(fixture(name), info.video!.width, info.video!.height);
    return detector.detect(frame!, info.video!.width, info.video!.height, { kind, minConfidence: 0.4 });
  };

  beforeAll(async () => {
    env = await testRuntime();
    detector = await FaceDetector.load(env.runtime.models, ['ssd', 'tiny']);
  });
  afterAll(() => env.close());

  it('finds the astronaut’s face with both detectors', async () => {
    const [ssd] = await detect('astronaut', 'ssd');
    expect(ssd?.score).toBeGreaterThan(0.9);
    // Eileen Collins' face is in the upper middle of the 512×512 portrait.
    expect(ssd?.x).toBeGreaterThan(150);
    expect(ssd?.x).toBeLessThan(300);
    expect(await detect('astronaut', 'tiny')).toHaveLength(1);
  });

  it('finds no face in the coffee cup', async () => {
    expect(await detect('coffee', 'ssd')).toEqual([]);
    expect(await detect('coffee', 'tiny')).toEqual([]);
  });

  it('reports the cat as a face with SSD (a known false positive), not with tiny', async () => {
    // SSD MobileNet v1 scores Chelsea's head at ~0.95 with a box larger than the image. No
    // threshold separates that from a real face (the astronaut scores ~0.97), so we keep the
    // privacy-first default and accept that the cat gets pixelated; see docs/gpu-node.md.
    const ssd = await detect('chelsea', 'ssd');
    expect(ssd).toHaveLength(1);
    expect(ssd[0]?.score).toBeGreaterThan(0.9);
    expect(await detect('chelsea', 'tiny')).toEqual([]);
  });
});

describe('faces.anonymise step', () => {
  let env: TestRuntime;
  let task: TaskSession;
  let detector: FaceDetector;

  beforeAll(async () => {
    env = await testRuntime();
    detector = await FaceDetector.load(env.runtime.models, ['ssd']);
    task = await env.runtime.openTask('task-faces');
    await copyFile(fixture('astronaut'), task.files.pathFor('portrait', 'image/jpeg'));
    // A 720p clip of the portrait drifting right, with a tone: 8 frames at 10 fps.
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'color=c=black:s=1280x720:r=10', '-loop', '1', '-i', fixture('astronaut')],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-filter_complex', "[1:v]scale=-2:720[fg];[0:v][fg]overlay=x='t*200':y=0,format=yuv420p[v]"],
      ...['-map', '[v]', '-map', '2:a', '-frames:v', '8', '-t', '0.8'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', task.files.pathFor('clip', 'video/mp4')],
    ]);
  }, 60_000);
  afterAll(async () => {
    await task.wipe();
    await env.close();
  });

  it('pixelates the face of a still in place: found before, not found after', async () => {
    const before = (await rgbFrames(task.files.pathFor('portrait', 'image/jpeg'), 512, 512))[0]!;
    expect(await detector.detect(before, 512, 512, { kind: 'ssd', minConfidence: 0.4 })).toHaveLength(1);
    const progress: number[] = [];
    await runStep(
      { step: 'faces.anonymise', params: { files: ['portrait'] } },
      { ...task.context(), progress: (f) => progress.push(f) },
      neverAborted,
    );
    const after = (await rgbFrames(task.files.pathFor('portrait', 'image/jpeg'), 512, 512))[0]!;
    // Even at a much lower threshold nothing face-like is left.
    expect(await detector.detect(after, 512, 512, { kind: 'ssd', minConfidence: 0.2 })).toEqual([]);
    expect(progress.at(-1)).toBe(1);
    const files = await task.files.list();
    expect(files.filter((f) => f.name === 'portrait').map((f) => f.mediaType)).toEqual(['image/jpeg']);
  }, 30_000);

  it('anonymises every frame of a video and keeps size, frame count and audio', async () => {
    const clip = task.files.pathFor('clip', 'video/mp4');
    const framesBefore = await rgbFrames(clip, 1280, 720);
    expect(framesBefore).toHaveLength(8);
    expect(
      await detector.detect(framesBefore[0]!, 1280, 720, { kind: 'ssd', minConfidence: 0.4 }),
    ).toHaveLength(1);
    await runStep(
      { step: 'faces.anonymise', params: { files: ['clip'], detector: 'ssd' } },
      { ...task.context(), progress: () => undefined },
      neverAborted,
    );
    const info = await probe(clip);
    expect(info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(info.audio?.codec).toBe('aac');
    const framesAfter = await rgbFrames(clip, 1280, 720);
    expect(framesAfter).toHaveLength(8);
    for (const frame of framesAfter) {
      expect(await detector.detect(frame, 1280, 720, { kind: 'ssd', minConfidence: 0.4 })).toEqual([]);
    }
  }, 60_000);

  it('refuses to run with a model file that fails the manifest (a soft failure: fix the node)', async () => {
    const copy = join(env.root, 'face-api-copy');
    await cp(join(env.runtime.models.root, 'model'), join(copy, 'model'), { recursive: true });
    const bin = join(copy, 'model/ssd_mobilenetv1_model.bin');
    const bytes = await readFile(bin);
    bytes[100] = (bytes[100] as number) ^ 0xff;
    await writeFile(bin, bytes);
    const context = {
      ...task.context(),
      models: { ...env.runtime.models, root: copy },
      progress: () => undefined,
    };
    const run = runStep({ step: 'faces.anonymise', params: { files: ['portrait'] } }, context, neverAborted);
    await expect(run).rejects.toBeInstanceOf(StepError);
    await expect(run).rejects.toMatchObject({
      code: 'INTERNAL',
      failure: 'soft',
      message: 'a face model file failed its manifest check',
    });
  }, 30_000);
});
