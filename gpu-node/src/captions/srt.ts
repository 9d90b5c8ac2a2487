// SubRip (SRT) output: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, at most two lines each,
// a blank line after every cue.
import type { Cue } from './cues.ts';

export function srtTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

/**
 * Text safe inside an SRT cue: no blank lines (a blank line ends the cue), and no `{…}` or
 * `<…>`, which players and libass read as styling tags rather than text.
 */
export function cueText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'))
    .replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}

/** One line if it fits, else two lines broken at the space nearest the middle. */
export function wrapCue(text: string, maxLineChars: number): string[] {
  if (text.length <= maxLineChars) return [text];
  const middle = text.length / 2;
  let best = -1;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) {
    if (best < 0 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  }
  return best < 0 ? [text] : [text.slice(0, best), text.slice(best + 1)];
}

export function formatSrt(cues: readonly Cue[], maxLineChars = 42): string {
  return cues
    .map((cue, i) => {
      const lines = wrapCue(cueText(cue.text), maxLineChars);
      return `${i + 1}\n${srtTimestamp(cue.start)} --> ${srtTimestamp(cue.end)}\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** Reads back the cues of an SRT file (for tests and for checking our own output). */
export function parseSrt(srt: string): Cue[] {
  const time = (t: string) => {
    const [h, m, rest] = t.split(':');
    const [s, ms] = (rest ?? '').split(',');
    return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  };
  return srt
    .replace(/\r\n/g, '\n')
    .trim()
    .split(/\n\n+/)
    .flatMap((block) => {
      const [, timing, ...text] = block.split('\n');
      const match = /^(\S+) --> (\S+)$/.exec(timing ?? '');
      return match?.[1] && match[2]
        ? [{ start: time(match[1]), end: time(match[2]), text: text.join('\n') }]
        : [];
    });
}
