// Deterministic "randomness" for tests and test vectors: SHA-256 in counter mode over a seed.
// Never for production; it exists so salts, IVs and key ids are reproducible.
import { createHash } from 'node:crypto';
import type { RandomBytes } from '../../src/index.ts';

export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const block = createHash('sha256').update(`${seed}/${counter}`).digest();
      counter += 1;
      filled += block.copy(out, filled);
    }
    return out;
  };
}

/** Bytes i mod 251: a plaintext whose every chunk differs and is easy to describe in the spec. */
export function patternBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 1) out[i] = i % 251;
  return out;
}
