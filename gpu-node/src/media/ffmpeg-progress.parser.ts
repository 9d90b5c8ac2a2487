// ffmpeg `-progress pipe:1` writes blocks of key=value lines, each closed by
// `progress=continue` or, at the very end, `progress=end`. We read `out_time_us` (the output
// timestamp reached; "N/A" or negative before the first frame) against the duration we expect
// the output to have, which the caller knows from ffprobe.

export interface FfmpegProgress {
  /** Output time reached, in seconds. */
  readonly outTimeSeconds: number;
  /** 0..1 against the expected duration; null when the duration is unknown. */
  readonly fraction: number | null;
  /** Frames written so far (0 for audio-only outputs). */
  readonly frames: number;
  /** Encoding speed relative to real time, when ffmpeg reports it. */
  readonly speed: number | null;
  readonly done: boolean;
}

function finiteOr(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.trim().replace(/x$/, ''));
  return Number.isFinite(number) ? number : fallback;
}

export class FfmpegProgressParser {
  private readonly durationSeconds: number | null;
  private block = new Map<string, string>();
  private lastOutTime = 0;

  constructor(durationSeconds: number | null) {
    this.durationSeconds = durationSeconds !== null && durationSeconds > 0 ? durationSeconds : null;
  }

  /** Feed one line; returns an update when the line closes a block. */
  line(line: string): FfmpegProgress | null {
    const equals = line.indexOf('=');
    if (equals <= 0) return null;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (key !== 'progress') {
      this.block.set(key, value);
      return null;
    }
    const done = value === 'end';
    const block = this.block;
    this.block = new Map();
    // out_time_ms is, despite its name, also microseconds in ffmpeg 4-6; prefer out_time_us.
    const micros = finiteOr(block.get('out_time_us') ?? block.get('out_time_ms'), 0);
    // Never go backwards: a stream copy can report a smaller time in a later block.
    this.lastOutTime = Math.max(this.lastOutTime, micros / 1e6);
    const fraction =
      this.durationSeconds === null
        ? done
          ? 1
          : null
        : done
          ? 1
          : Math.min(1, this.lastOutTime / this.durationSeconds);
    const speed = finiteOr(block.get('speed'), Number.NaN);
    return {
      outTimeSeconds: this.lastOutTime,
      fraction,
      frames: Math.max(0, finiteOr(block.get('frame'), 0)),
      speed: Number.isNaN(speed) ? null : speed,
      done,
    };
  }
}
