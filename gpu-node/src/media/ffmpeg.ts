// Running ffmpeg in the sandbox with progress: `-progress pipe:1` key=value blocks on stdout are
// parsed against the duration the output is expected to have (known from ffprobe).
import type { ResourceLimits } from '../sandbox/resource-limits.ts';
import type { StepProgress } from '../pipeline/step-types.ts';
import { FfmpegProgressParser } from './ffmpeg-progress.parser.ts';
import { assertSucceeded, startingTool } from './tool-exit.ts';
import type { ToolRunContext } from './tool-run-context.ts';

export interface FfmpegRun {
  /** Everything after the common prefix: inputs, filters, codecs, output. */
  readonly args: readonly string[];
  /** Names what ran in an error message: `compose`, `burn-in`. */
  readonly stage: string;
  readonly expectedDurationSeconds: number | null;
  readonly progress?: StepProgress;
  /** Analysis filters (silencedetect, scdet) report on stderr at the info level. */
  readonly onStderrLine?: (line: string) => void;
  readonly signal: AbortSignal;
  readonly limits?: Partial<ResourceLimits>;
}

export async function runFfmpeg(ctx: ToolRunContext, run: FfmpegRun): Promise<void> {
  const parser = new FfmpegProgressParser(run.expectedDurationSeconds);
  const level = run.onStderrLine === undefined ? 'error' : 'info';
  const result = await startingTool('ffmpeg', () =>
    ctx.sandbox.run({
      command: ctx.tools.ffmpeg,
      args: ['-hide_banner', '-nostdin', '-y', '-v', level, '-nostats', '-progress', 'pipe:1', ...run.args],
      workdir: ctx.workdir,
      signal: run.signal,
      limits: run.limits,
      stdoutLimitBytes: 0,
      onStdoutLine: (line) => {
        const update = parser.line(line);
        if (update?.fraction !== null && update?.fraction !== undefined) run.progress?.(update.fraction);
      },
      onStderrLine: run.onStderrLine,
    }),
  );
  assertSucceeded('ffmpeg', run.stage, result);
}
