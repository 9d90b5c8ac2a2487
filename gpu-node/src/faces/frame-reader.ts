// Cuts a raw video byte stream (ffmpeg `-f rawvideo`) into whole frames.

export async function* readFrames(
  stream: AsyncIterable<Uint8Array>,
  frameBytes: number,
): AsyncGenerator<Buffer> {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0)
    throw new Error('frame size must be a positive integer');
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  for await (const chunk of stream) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        yield frame;
        // A fresh buffer per frame: the previous one may still be queued in the encoder's pipe.
        frame = Buffer.allocUnsafe(frameBytes);
        filled = 0;
      }
    }
  }
  if (filled !== 0) throw new Error('the decoder stopped in the middle of a frame');
}
