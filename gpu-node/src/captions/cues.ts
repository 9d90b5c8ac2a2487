// Cutting a script into caption cues and timing them against the voice-over. Timing uses an
// energy voice-activity detector (ffmpeg silencedetect, see captions-srt.step.ts): we know
// *where* speech is, not which words are spoken where. Each cue gets a share of the speech time
// proportional to its length, and a cue boundary that falls near a pause snaps to that pause,
// which is where espeak-ng (and most speakers) put sentence breaks.
import type { Interval } from '../media/ffmpeg-log.parser.ts';

export interface Cue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Words into pieces of at most `maxChars`, balanced so the last piece is not a stub. */
function splitLong(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const words = sentence.split(' ');
  const pieces = Math.ceil(sentence.length / maxChars);
  const target = sentence.length / pieces;
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    const candidate = current === '' ? word : `${current} ${word}`;
    const overTarget = candidate.length > target && current.length >= target * 0.6;
    if (current !== '' && (candidate.length > maxChars || (overTarget && out.length < pieces - 1))) {
      out.push(current);
      current = word;
    } else current = candidate;
  }
  if (current !== '') out.push(current);
  return out;
}

/** Sentences (and lines) of the script, long ones cut to at most `maxChars` each. */
export function splitIntoCues(script: string, maxChars: number): string[] {
  const cues: string[] = [];
  for (const line of script.split(/\r?\n/)) {
    const text = line.replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    // A sentence ends at . ! ? … (with closing quotes or brackets) followed by a space.
    const sentences = text.split(/(?<=[.!?…]["'”’)\]]?) (?=\S)/);
    for (const sentence of sentences) cues.push(...splitLong(sentence, maxChars));
  }
  return cues;
}

/** Letters and digits: what takes time to say (punctuation and spaces do not). */
function weight(text: string): number {
  return Math.max(1, (text.match(/[\p{L}\p{N}]/gu) ?? []).length);
}

/** Maps a position on the speech-only timeline to wall-clock time. */
function speechToWall(segments: readonly Interval[], position: number): number {
  let left = position;
  for (const segment of segments) {
    const length = segment.end - segment.start;
    if (left <= length) return segment.start + left;
    left -= length;
  }
  return segments.at(-1)?.end ?? 0;
}

export interface CueTimingOptions {
  /** How far (s) an estimated boundary may move to reach a pause. */
  readonly snapSeconds?: number;
  /** How long (s) a cue stays up after its speech ends, if the pause allows. */
  readonly lingerSeconds?: number;
}

export function timeCues(
  texts: readonly string[],
  speech: readonly Interval[],
  durationSeconds: number,
  options: CueTimingOptions = {},
): Cue[] {
  if (texts.length === 0) return [];
  const linger = options.lingerSeconds ?? 0.4;
  // No speech found (threshold too strict, or music under the voice): spread over the whole.
  const segments = speech.length > 0 ? speech : [{ start: 0, end: durationSeconds }];
  const speechTotal = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
  const weights = texts.map(weight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const snap = options.snapSeconds ?? Math.max(0.6, (0.35 * durationSeconds) / texts.length);
  const pauses = segments.slice(1).map((s, i) => ({ start: (segments[i] as Interval).end, end: s.start }));

  const starts: number[] = [segments[0]?.start ?? 0];
  const ends: number[] = [];
  let cumulative = 0;
  let nextPause = 0;
  for (let k = 1; k < texts.length; k++) {
    cumulative += weights[k - 1] as number;
    const estimate = speechToWall(segments, (speechTotal * cumulative) / totalWeight);
    let best = -1;
    let bestDistance = snap;
    for (let p = nextPause; p < pauses.length; p++) {
      const pause = pauses[p] as Interval;
      const distance = Math.max(0, pause.start - estimate, estimate - pause.end);
      if (distance <= bestDistance && (best < 0 || distance < bestDistance)) {
        best = p;
        bestDistance = distance;
      }
    }
    if (best >= 0) {
      const pause = pauses[best] as Interval;
      ends.push(Math.min(pause.end, pause.start + linger));
      starts.push(pause.end);
      nextPause = best + 1;
    } else {
      ends.push(estimate);
      starts.push(estimate);
    }
  }
  ends.push(Math.min(durationSeconds, (segments.at(-1)?.end ?? durationSeconds) + linger));

  return texts.map((text, k) => {
    const start = Math.max(0, Math.min(starts[k] as number, durationSeconds));
    const end = Math.max(start + 0.04, Math.min(ends[k] as number, durationSeconds));
    return { start, end, text };
  });
}
