// Randomness behind one seam: ids, session ids, token secrets and salts come from the CSPRNG.
import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';

export abstract class Randomness {
  abstract bytes(size: number): Buffer;
  /** An opaque id for a new row (fits the contracts' EntityId rule). */
  abstract id(): string;
}

@Injectable()
export class CryptoRandomness extends Randomness {
  bytes(size: number): Buffer {
    return randomBytes(size);
  }

  id(): string {
    return randomUUID();
  }
}
