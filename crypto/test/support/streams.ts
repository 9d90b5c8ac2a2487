// Stream plumbing for tests: feed bytes in given pieces, collect everything a stream emits up
// to its end or its error (the error is returned, not thrown, so tests can look at both).
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CryptoError, type DataKey, type KeyResolver } from '../../src/index.ts';

export interface StreamOutcome {
  readonly output: Buffer;
  readonly error: unknown;
}

/** Splits `data` at the given cut points (sorted, deduplicated, within range). */
export function splitAt(data: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(c, 0), data.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(data.subarray(start, point));
    start = point;
  }
  pieces.push(data.subarray(start));
  return pieces.filter((p) => p.length > 0);
}

export async function runThrough(transform: Transform, pieces: readonly Buffer[]): Promise<StreamOutcome> {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(piece: Buffer, _encoding, callback) {
      out.push(Buffer.from(piece)); // a copy: the test inspects it after the stream is gone
      callback();
    },
  });
  let error: unknown;
  try {
    // objectMode keeps the pieces exactly as given (a byte-mode Readable may merge them).
    await pipeline(Readable.from(pieces), transform, sink);
  } catch (caught) {
    error = caught;
  }
  return { output: Buffer.concat(out), error };
}

/** A resolver over a fixed set of keys; any other id is KEY_UNKNOWN. */
export function resolverFor(...keys: DataKey[]): KeyResolver {
  return (keyId) => {
    const key = keys.find((k) => k.keyId === keyId);
    return key === undefined
      ? Promise.reject(new CryptoError('KEY_UNKNOWN', `There is no key ${keyId}.`))
      : Promise.resolve(key);
  };
}
