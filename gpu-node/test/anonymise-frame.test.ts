// Face hiding on raw RGB frames, and cutting a raw stream into frames: pure logic.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { anonymiseFrame, expandBox, pixelateRect } from '../src/faces/anonymise-frame.ts';
import { readFrames } from '../src/faces/frame-reader.ts';

/** A W×H frame whose pixel (x, y) is (x, y, x+y) mod 256: every pixel differs from its neighbours. */
function gradient(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgb.set([x % 256, y % 256, (x + y) % 256], (y * width + x) * 3);
  }
  return rgb;
}

const pixel = (rgb: Uint8Array, width: number, x: number, y: number) =>
  Array.from(rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));

describe('expandBox', () => {
  it('grows the box by the margin on every side, rounding outwards', () => {
    expect(expandBox({ x: 10.5, y: 20, width: 20, height: 10 }, 0.25, 100, 100)).toEqual({
      x: 5,
      y: 17,
      width: 31,
      height: 16,
    });
  });

  it('clips to the frame, and drops a box entirely outside it', () => {
    expect(expandBox({ x: -10, y: 90, width: 30, height: 30 }, 0, 100, 100)).toEqual({
      x: 0,
      y: 90,
      width: 20,
      height: 10,
    });
    expect(expandBox({ x: 150, y: 10, width: 10, height: 10 }, 0.5, 100, 100)).toBeNull();
  });
});

describe('pixelateRect', () => {
  it('makes each block one colour (its mean) and leaves everything outside untouched', () => {
    const width = 64;
    const frame = gradient(width, 64);
    const before = frame.slice();
    pixelateRect(frame, width, { x: 8, y: 8, width: 32, height: 32 }, 4); // 8 px blocks
    expect(pixel(frame, width, 8, 8)).toEqual(pixel(frame, width, 15, 15));
    expect(pixel(frame, width, 8, 8)).toEqual([12, 12, 23]); // means 11.5 and 23, rounded
    expect(pixel(frame, width, 16, 8)).not.toEqual(pixel(frame, width, 15, 8));
    for (const [x, y] of [
      [7, 7],
      [40, 40],
      [0, 63],
    ] as const) {
      expect(pixel(frame, width, x, y)).toEqual(pixel(before, width, x, y));
    }
  });
});

describe('anonymiseFrame', () => {
  it('hides every box with its margin, and reports the rects it changed', () => {
    const frame = gradient(100, 50);
    const changed = anonymiseFrame(
      frame,
      100,
      50,
      [
        { x: 10, y: 10, width: 10, height: 10 },
        { x: 60, y: 20, width: 10, height: 10 },
      ],
      { method: 'fill', margin: 0.5, blocks: 8 },
    );
    expect(changed).toEqual([
      { x: 5, y: 5, width: 20, height: 20 },
      { x: 55, y: 15, width: 20, height: 20 },
    ]);
    expect(pixel(frame, 100, 5, 5)).toEqual([0, 0, 0]);
    expect(pixel(frame, 100, 74, 34)).toEqual([0, 0, 0]);
    expect(pixel(frame, 100, 4, 4)).toEqual([4, 4, 8]);
  });

  it('refuses a buffer that is not width × height × 3', () => {
    expect(() =>
      anonymiseFrame(new Uint8Array(10), 2, 2, [], { method: 'fill', margin: 0, blocks: 8 }),
    ).toThrow(/frame size/);
  });
});

describe('readFrames', () => {
  it('reassembles whole frames from arbitrary chunks', async () => {
    const bytes = Uint8Array.from({ length: 30 }, (_, i) => i);
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 8), bytes.subarray(8, 25), bytes.subarray(25)];
    const frames: number[][] = [];
    for await (const frame of readFrames(Readable.from(chunks), 10)) frames.push(Array.from(frame));
    expect(frames).toEqual([0, 10, 20].map((start) => Array.from({ length: 10 }, (_, i) => start + i)));
  });

  it('fails when the stream stops in the middle of a frame', async () => {
    const read = async () => {
      for await (const _ of readFrames(Readable.from([new Uint8Array(15)]), 10)) void _;
    };
    await expect(read()).rejects.toThrow(/middle of a frame/);
  });
});
