// Time and randomness behind one seam each, so tests pin key ids, salts and timestamps (format
// test vectors depend on it) and freeze the clock instead of sleeping.
import { randomBytes } from 'node:crypto';

export type RandomBytes = (size: number) => Buffer;

export const cryptoRandomBytes: RandomBytes = (size) => randomBytes(size);

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
