// Pure parsers for what ffmpeg prints: -progress blocks, silencedetect and scdet lines.
import { describe, expect, it } from 'vitest';
import { FfmpegProgressParser } from '../src/media/ffmpeg-progress.parser.ts';
import { parseSceneCuts, parseSilences, speechSegments } from '../src/media/ffmpeg-log.parser.ts';

const block = (outTimeUs: string, progress: 'continue' | 'end', frame = 10) => [
  `frame=${frame}`,
  'fps=24.9',
  'bitrate= 512.0kbits/s',
  `out_time_us=${outTimeUs}`,
  `out_time_ms=${outTimeUs}`,
  'out_time=00:00:01.000000',
  'speed=1.5x',
  `progress=${progress}`,
];

function feed(parser: FfmpegProgressParser, lines: string[]) {
  return lines.map((line) => parser.line(line)).filter((u) => u !== null);
}

describe('FfmpegProgressParser', () => {
  it('reports one update per block, against the expected duration', () => {
    const parser = new FfmpegProgressParser(4);
    const updates = feed(parser, [...block('1000000', 'continue'), ...block('3000000', 'continue', 75)]);
    expect(updates).toEqual([
      { outTimeSeconds: 1, fraction: 0.25, frames: 10, speed: 1.5, done: false },
      { outTimeSeconds: 3, fraction: 0.75, frames: 75, speed: 1.5, done: false },
    ]);
  });

  it('treats N/A and negative start times as zero and never goes backwards', () => {
    const parser = new FfmpegProgressParser(10);
    const updates = feed(parser, [
      ...block('N/A', 'continue'),
      ...block('5000000', 'continue'),
      ...block('4000000', 'continue'),
    ]);
    expect(updates.map((u) => u.fraction)).toEqual([0, 0.5, 0.5]);
    expect(feed(new FfmpegProgressParser(10), block('-23220', 'continue'))[0]?.fraction).toBe(0);
  });

  it('ends at 1 on progress=end, and caps overshoot (AAC priming) at 1', () => {
    const parser = new FfmpegProgressParser(2);
    expect(feed(parser, block('2100000', 'continue'))[0]?.fraction).toBe(1);
    expect(feed(parser, block('2100000', 'end'))[0]).toMatchObject({ fraction: 1, done: true });
  });

  it('has no fraction without a known duration, until the end', () => {
    const parser = new FfmpegProgressParser(null);
    expect(feed(parser, block('1000000', 'continue'))[0]?.fraction).toBeNull();
    expect(feed(parser, block('2000000', 'end'))[0]?.fraction).toBe(1);
  });

  it('ignores lines that are not key=value', () => {
    const parser = new FfmpegProgressParser(1);
    expect(parser.line('')).toBeNull();
    expect(parser.line('garbage')).toBeNull();
    expect(parser.line('=x')).toBeNull();
  });
});

describe('silencedetect', () => {
  // Captured from ffmpeg 5.1 on an espeak-ng voice-over of 8.2215 s.
  const captured = [
    '[silencedetect @ 0x55b875251600] silence_start: 3.42013',
    '[silencedetect @ 0x55b875251600] silence_end: 3.87631 | silence_duration: 0.456187',
    '[silencedetect @ 0x55b875251600] silence_start: 5.42519',
    '[silencedetect @ 0x55b875251600] silence_end: 5.64348 | silence_duration: 0.218292',
    '[silencedetect @ 0x55b875251600] silence_start: 7.87142',
    '[silencedetect @ 0x55b875251600] silence_end: 8.2215 | silence_duration: 0.350083',
  ];
  const silences = [
    { start: 3.42013, end: 3.87631 },
    { start: 5.42519, end: 5.64348 },
    { start: 7.87142, end: 8.2215 },
  ];

  it('reads silent intervals', () => {
    expect(parseSilences(captured, 8.2215)).toEqual(silences);
  });

  it('closes a silence left open (output cut short) at the end of the stream', () => {
    expect(parseSilences(captured.slice(0, -1), 8.2215)).toEqual(silences);
  });

  it('turns silences into speech segments, dropping slivers', () => {
    expect(speechSegments(parseSilences(captured, 8.2215), 8.2215)).toEqual([
      { start: 0, end: 3.42013 },
      { start: 3.87631, end: 5.42519 },
      { start: 5.64348, end: 7.87142 },
    ]);
    expect(
      speechSegments(
        [
          { start: 0, end: 0.5 },
          { start: 0.52, end: 2 },
        ],
        2,
      ),
    ).toEqual([]);
    expect(speechSegments([], 3)).toEqual([{ start: 0, end: 3 }]);
  });

  it('clamps negative starts (ffmpeg can print -0.00002) to zero', () => {
    expect(parseSilences(['silence_start: -2e-05', 'silence_end: 0.4 | silence_duration: 0.4'], 1)).toEqual([
      { start: 0, end: 0.4 },
    ]);
  });
});

describe('scdet', () => {
  it('reads score and time of each cut', () => {
    expect(
      parseSceneCuts([
        '[scdet @ 0x5640c4363980] lavfi.scd.score: 15.625, lavfi.scd.time: 2',
        '[Parsed_scdet_0 @ 0x1] lavfi.scd.score: 41.2, lavfi.scd.time: 7.48',
        'frame=  100 fps=0.0 q=-0.0 size=N/A',
      ]),
    ).toEqual([
      { score: 15.625, timeSeconds: 2 },
      { score: 41.2, timeSeconds: 7.48 },
    ]);
  });
});
