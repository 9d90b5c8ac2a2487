// Randomness behind one seam: serials and token secrets come from the CSPRNG in production; the
// renewal jitter takes a plain `() => number` so an agent test can pin it.
import { randomBytes } from 'node:crypto';

export type RandomBytes = (size: number) => Buffer;

export const cryptoRandomBytes: RandomBytes = (size) => randomBytes(size);

/**
 * A positive 128-bit serial as lower-case hex (RFC 5280 asks for at most 20 octets and enough
 * entropy that a CA cannot be steered into signing a chosen TBS). A zero first byte is redrawn
 * so the value keeps its full 128 bits and its DER encoding stays minimal.
 */
export function randomSerial(random: RandomBytes = cryptoRandomBytes): string {
  for (;;) {
    const bytes = random(16);
    if (bytes[0] !== 0) return bytes.toString('hex');
  }
}
