// A slow consumer must slow the producer down: the bytes between what the source has produced
// and what the sink has taken stay bounded by a few chunks, however long the stream.
import { randomBytes } from 'node:crypto';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DataKey, createDecryptStream, createEncryptStream, encryptBuffer } from '../src/index.ts';
import { resolverFor } from './support/streams.ts';

const MiB = 1 << 20;
const key = DataKey.generate('dek');

interface Flow {
  produced: number;
  consumed: number;
  maxAhead: number;
}

function countingSource(data: Buffer, piece: number, flow: Flow): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) {
        this.push(null);
        return;
      }
      const slice = data.subarray(offset, offset + piece);
      offset += slice.length;
      flow.produced += slice.length;
      this.push(slice);
    },
  });
}

/** Takes bytes slowly: every write waits a turn of the event loop, every 16th write 2 ms. */
function slowSink(flow: Flow, sourceToSinkRatio: number): Writable {
  let writes = 0;
  return new Writable({
    highWaterMark: 16 * 1024,
    write(piece: Buffer, _encoding, callback) {
      flow.consumed += piece.length;
      // In source bytes: ciphertext and plaintext differ in length only by headers and tags.
      flow.maxAhead = Math.max(flow.maxAhead, flow.produced - flow.consumed * sourceToSinkRatio);
      writes += 1;
      const wait = writes % 16 === 0 ? sleep(2) : new Promise((resolve) => setImmediate(resolve));
      void wait.then(() => callback());
    },
  });
}

async function measure(data: Buffer, transform: Transform, ratio: number): Promise<Flow> {
  const flow: Flow = { produced: 0, consumed: 0, maxAhead: 0 };
  await pipeline(countingSource(data, 64 * 1024, flow), transform, slowSink(flow, ratio));
  return flow;
}

describe('back-pressure', () => {
  const plaintext = randomBytes(48 * MiB);

  it('encryption reads no more than a few chunks ahead of a slow consumer', async () => {
    const flow = await measure(plaintext, createEncryptStream({ key, chunkSize: MiB }), 1);
    expect(flow.produced).toBe(plaintext.length);
    expect(flow.maxAhead).toBeLessThan(6 * MiB);
  });

  it('decryption reads no more than a few chunks ahead of a slow consumer', async () => {
    const ciphertext = encryptBuffer(plaintext, { key, chunkSize: MiB });
    const flow = await measure(ciphertext, createDecryptStream({ resolveKey: resolverFor(key) }), 1);
    expect(flow.consumed).toBe(plaintext.length);
    expect(flow.maxAhead).toBeLessThan(6 * MiB);
  });
});
