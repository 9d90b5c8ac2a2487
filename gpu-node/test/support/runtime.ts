// Shared set-up for integration tests: a real node runtime (real sandbox, real tools, real model
// files) over a temporary scratch root, and the fixture stills.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { memoryLogger, processRunner, startNodeRuntime, type NodeRuntime } from '../../src/index.ts';
import { toMediaInfo, type MediaInfo } from '../../src/media/ffprobe.ts';

export const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/stills');
export const fixture = (name: 'astronaut' | 'coffee' | 'chelsea'): string => join(FIXTURES, `${name}.jpg`);

export const TEST_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

export interface TestRuntime {
  readonly runtime: NodeRuntime;
  readonly root: string;
  readonly logger: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

export async function testRuntime(): Promise<TestRuntime> {
  const root = await mkdtemp(join(tmpdir(), 'enclave-gpu-node-'));
  const logger = memoryLogger();
  const runtime = await startNodeRuntime({ scratchRoot: join(root, 'scratch'), logger });
  return { runtime, root, logger, close: () => rm(root, { recursive: true, force: true }) };
}

/** ffprobe outside the sandbox, for checking what a step wrote. */
export async function probe(path: string): Promise<MediaInfo> {
  const result = await processRunner.run({
    command: 'ffprobe',
    args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
    env: TEST_ENV,
  });
  if (result.code !== 0) throw new Error(`ffprobe failed: ${result.stderrTail}`);
  return toMediaInfo(JSON.parse(result.stdout.toString('utf8')));
}

/** Runs ffmpeg (test set-up: generating clips, extracting frames); throws on failure. */
export async function ffmpeg(args: readonly string[]): Promise<Buffer> {
  const result = await processRunner.run({
    command: 'ffmpeg',
    args: ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args],
    env: TEST_ENV,
    stdoutLimitBytes: 256 << 20,
  });
  if (result.code !== 0) throw new Error(`ffmpeg failed: ${result.stderrTail}`);
  return result.stdout;
}

/** Frames of a file as packed RGB24 scaled to width×height: one per `everySeconds`, or all (null). */
export async function rgbFrames(
  path: string,
  width: number,
  height: number,
  everySeconds: number | null = null,
): Promise<Buffer[]> {
  const fps = everySeconds === null ? '' : `fps=1/${everySeconds},`;
  const raw = await ffmpeg([
    ...['-i', path, '-vf', `${fps}scale=${width}:${height}`],
    ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
  ]);
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let offset = 0; offset + size <= raw.length; offset += size)
    frames.push(raw.subarray(offset, offset + size));
  return frames;
}
