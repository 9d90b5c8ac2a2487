// Pure parsers for what ffmpeg's analysis filters print on stderr (at the default log level).

export interface Interval {
  readonly start: number;
  readonly end: number;
}

const SILENCE_START = /silence_start:\s*(-?[\d.]+)/;
const SILENCE_END = /silence_end:\s*(-?[\d.]+)/;

/**
 * Silent intervals from `silencedetect` lines. ffmpeg 5.1 closes a trailing silence at the end
 * of the stream itself; one still open (output cut short) is closed at `durationSeconds`.
 */
export function parseSilences(lines: readonly string[], durationSeconds: number): Interval[] {
  const silences: Interval[] = [];
  let open: number | null = null;
  for (const line of lines) {
    const start = SILENCE_START.exec(line);
    if (start?.[1] !== undefined) {
      open = Math.max(0, Number(start[1]));
      continue;
    }
    const end = SILENCE_END.exec(line);
    if (end?.[1] !== undefined && open !== null) {
      silences.push({ start: open, end: Math.min(durationSeconds, Number(end[1])) });
      open = null;
    }
  }
  if (open !== null && open < durationSeconds) silences.push({ start: open, end: durationSeconds });
  return silences;
}

/** The complement of the silences within [0, duration]: where someone is speaking. */
export function speechSegments(
  silences: readonly Interval[],
  durationSeconds: number,
  minSeconds = 0.05,
): Interval[] {
  const segments: Interval[] = [];
  let cursor = 0;
  for (const silence of [...silences].sort((a, b) => a.start - b.start)) {
    if (silence.start - cursor >= minSeconds) segments.push({ start: cursor, end: silence.start });
    cursor = Math.max(cursor, silence.end);
  }
  if (durationSeconds - cursor >= minSeconds) segments.push({ start: cursor, end: durationSeconds });
  return segments;
}

export interface SceneCut {
  readonly timeSeconds: number;
  /** scdet's score, 0..100: how different the frame is from the one before. */
  readonly score: number;
}

const SCDET = /lavfi\.scd\.score:\s*([\d.]+),\s*lavfi\.scd\.time:\s*([\d.]+)/;

/** Cuts from `scdet` lines (`lavfi.scd.score: 15.6, lavfi.scd.time: 2`). */
export function parseSceneCuts(lines: readonly string[]): SceneCut[] {
  const cuts: SceneCut[] = [];
  for (const line of lines) {
    const match = SCDET.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      cuts.push({ score: Number(match[1]), timeSeconds: Number(match[2]) });
    }
  }
  return cuts;
}
