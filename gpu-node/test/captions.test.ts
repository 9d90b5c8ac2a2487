// Cue splitting, cue timing against speech segments, and SRT formatting: pure logic.
import { describe, expect, it } from 'vitest';
import { splitIntoCues, timeCues } from '../src/captions/cues.ts';
import { cueText, formatSrt, parseSrt, srtTimestamp, wrapCue } from '../src/captions/srt.ts';

describe('splitIntoCues', () => {
  it('makes one cue per sentence and per line', () => {
    expect(splitIntoCues('Hello there.  How are you?\nFine!  "Really." Yes…  ok', 84)).toEqual([
      'Hello there.',
      'How are you?',
      'Fine!',
      '"Really."',
      'Yes…',
      'ok',
    ]);
  });

  it('does not split inside numbers or abbreviations without a following space', () => {
    expect(splitIntoCues('Version 2.5 ships.', 84)).toEqual(['Version 2.5 ships.']);
  });

  it('cuts a long sentence into balanced pieces within the limit', () => {
    const long = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';
    const cues = splitIntoCues(long, 40);
    expect(cues.join(' ')).toBe(long);
    expect(cues.every((c) => c.length <= 40)).toBe(true);
    expect(cues).toHaveLength(3);
    expect(Math.min(...cues.map((c) => c.length))).toBeGreaterThan(15);
  });

  it('returns nothing for an empty script', () => {
    expect(splitIntoCues(' \n\n ', 84)).toEqual([]);
  });
});

describe('timeCues', () => {
  it('snaps sentence boundaries to the pauses between speech segments', () => {
    const speech = [
      { start: 0.1, end: 3.4 },
      { start: 3.9, end: 6.0 },
    ];
    const cues = timeCues(['A first sentence of some length.', 'A second one.'], speech, 6.4);
    expect(cues[0]).toMatchObject({ start: 0.1 });
    expect(cues[0]?.end).toBeCloseTo(3.8, 5); // linger 0.4 s into the 0.5 s pause
    expect(cues[1]).toMatchObject({ start: 3.9 });
    expect(cues[1]?.end).toBeCloseTo(6.4, 5);
  });

  it('splits by text length when no pause is near, and keeps cues ordered and inside the audio', () => {
    const cues = timeCues(['aaaa', 'bbbbbbbbbbbb'], [{ start: 0, end: 8 }], 8);
    expect(cues[0]?.end).toBeCloseTo(2, 5);
    expect(cues[1]?.start).toBeCloseTo(2, 5);
    expect(cues[1]?.end).toBe(8);
  });

  it('ignores comma pauses far from any boundary', () => {
    // Three speech runs (a comma pause at 1.5 s) but two cues whose boundary is near 4 s.
    const speech = [
      { start: 0, end: 1.5 },
      { start: 1.7, end: 4.0 },
      { start: 4.6, end: 6.0 },
    ];
    const cues = timeCues(['Short, then a longer part.', 'The end here.'], speech, 6.0);
    expect(cues[1]?.start).toBeCloseTo(4.6, 5);
  });

  it('spreads over the whole audio when no speech was detected', () => {
    const cues = timeCues(['one', 'two'], [], 4);
    expect(cues.map((c) => [c.start, c.end])).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });
});

describe('SRT', () => {
  it('formats timestamps as HH:MM:SS,mmm', () => {
    expect(srtTimestamp(0)).toBe('00:00:00,000');
    expect(srtTimestamp(3.8204)).toBe('00:00:03,820');
    expect(srtTimestamp(3723.5)).toBe('01:02:03,500');
    expect(srtTimestamp(-1)).toBe('00:00:00,000');
  });

  it('wraps a long cue into two balanced lines', () => {
    expect(wrapCue('Meet the crew that takes coffee seriously, even in orbit.', 42)).toEqual([
      'Meet the crew that takes coffee',
      'seriously, even in orbit.',
    ]);
    expect(wrapCue('Short.', 42)).toEqual(['Short.']);
  });

  it('keeps styling tags and blank lines out of cue text', () => {
    expect(cueText('a {\\an8} b <i>c</i>\n\nd')).toBe('a (\\an8) b ‹i›c‹/i› d');
  });

  it('writes numbered cues separated by blank lines, and reads them back', () => {
    const srt = formatSrt([
      { start: 0, end: 1.5, text: 'First.' },
      { start: 1.6, end: 3, text: 'Second.' },
    ]);
    expect(srt).toBe(
      '1\n00:00:00,000 --> 00:00:01,500\nFirst.\n\n2\n00:00:01,600 --> 00:00:03,000\nSecond.\n',
    );
    expect(parseSrt(srt)).toEqual([
      { start: 0, end: 1.5, text: 'First.' },
      { start: 1.6, end: 3, text: 'Second.' },
    ]);
  });
});
