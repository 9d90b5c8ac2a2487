// Hiding a face in a packed RGB24 frame, in place. Pure functions over a byte array, so the
// geometry (margins, clipping, block sizes) is unit-tested without a detector.

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type AnonymiseMethod = 'pixelate' | 'fill';

export interface AnonymiseOptions {
  readonly method: AnonymiseMethod;
  /** Margin added on every side, as a fraction of the box size: detector boxes are tight. */
  readonly margin: number;
  /** Pixelation: mosaic blocks across the box's longer side. Fewer is stronger. */
  readonly blocks: number;
}

/** The box grown by its margin, rounded outwards and clipped to the frame; null if nothing is left. */
export function expandBox(box: Rect, margin: number, frameWidth: number, frameHeight: number): Rect | null {
  const dx = box.width * margin;
  const dy = box.height * margin;
  const x0 = Math.max(0, Math.floor(box.x - dx));
  const y0 = Math.max(0, Math.floor(box.y - dy));
  const x1 = Math.min(frameWidth, Math.ceil(box.x + box.width + dx));
  const y1 = Math.min(frameHeight, Math.ceil(box.y + box.height + dy));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Replaces each block of the rect with its mean colour. */
export function pixelateRect(rgb: Uint8Array, frameWidth: number, rect: Rect, blocks: number): void {
  const block = Math.max(4, Math.ceil(Math.max(rect.width, rect.height) / Math.max(1, blocks)));
  for (let by = rect.y; by < rect.y + rect.height; by += block) {
    const bh = Math.min(block, rect.y + rect.height - by);
    for (let bx = rect.x; bx < rect.x + rect.width; bx += block) {
      const bw = Math.min(block, rect.x + rect.width - bx);
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = by; y < by + bh; y++) {
        for (let i = (y * frameWidth + bx) * 3, end = i + bw * 3; i < end; i += 3) {
          r += rgb[i] as number;
          g += rgb[i + 1] as number;
          b += rgb[i + 2] as number;
        }
      }
      const n = bw * bh;
      fillBlock(rgb, frameWidth, { x: bx, y: by, width: bw, height: bh }, [r / n, g / n, b / n]);
    }
  }
}

function fillBlock(
  rgb: Uint8Array,
  frameWidth: number,
  rect: Rect,
  colour: readonly [number, number, number],
): void {
  const [r, g, b] = colour.map(Math.round) as [number, number, number];
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let i = (y * frameWidth + rect.x) * 3, end = i + rect.width * 3; i < end; i += 3) {
      rgb[i] = r;
      rgb[i + 1] = g;
      rgb[i + 2] = b;
    }
  }
}

/** Hides every box; returns the rects actually changed (after margin and clipping). */
export function anonymiseFrame(
  rgb: Uint8Array,
  frameWidth: number,
  frameHeight: number,
  boxes: readonly Rect[],
  options: AnonymiseOptions,
): Rect[] {
  if (rgb.length !== frameWidth * frameHeight * 3)
    throw new Error('frame size does not match its dimensions');
  const changed: Rect[] = [];
  for (const box of boxes) {
    const rect = expandBox(box, options.margin, frameWidth, frameHeight);
    if (rect === null) continue;
    if (options.method === 'pixelate') pixelateRect(rgb, frameWidth, rect, options.blocks);
    else fillBlock(rgb, frameWidth, rect, [0, 0, 0]);
    changed.push(rect);
  }
  return changed;
}
