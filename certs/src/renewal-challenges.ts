// Nonces for renewing a certificate that has already expired. Such a node cannot authenticate
// with TLS any more, so it proves possession of its key by signing a CSR that carries a fresh
// nonce (challengePassword) bound to its certificate's serial. Each nonce works once and for a
// few minutes, so a captured CSR cannot be replayed. Kept in memory: the control plane is one
// process and a nonce lost in a restart is simply asked for again.
import { type Clock, addMs } from './clock.ts';
import { cryptoRandomBytes, type RandomBytes } from './randomness.ts';
import { normalizeSerial } from './serial-numbers.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export interface RenewalChallenge {
  readonly nonce: string;
  readonly serial: string;
  readonly expiresAt: Date;
}

export class RenewalChallenges {
  readonly #pending = new Map<string, RenewalChallenge>();
  readonly #now: Clock;
  readonly #random: RandomBytes;

  constructor(now: Clock, random: RandomBytes = cryptoRandomBytes) {
    this.#now = now;
    this.#random = random;
  }

  issue(serial: string): RenewalChallenge {
    this.#purge();
    const challenge = {
      nonce: this.#random(32).toString('base64url'),
      serial: normalizeSerial(serial),
      expiresAt: addMs(this.#now(), CHALLENGE_TTL_MS),
    };
    this.#pending.set(challenge.nonce, challenge);
    return challenge;
  }

  /** True once for a live nonce issued for this serial; the nonce is gone afterwards either way. */
  consume(nonce: string, serial: string): boolean {
    const challenge = this.#pending.get(nonce);
    this.#pending.delete(nonce);
    return (
      challenge !== undefined &&
      challenge.serial === normalizeSerial(serial) &&
      this.#now().getTime() < challenge.expiresAt.getTime()
    );
  }

  #purge(): void {
    const now = this.#now().getTime();
    for (const [nonce, challenge] of this.#pending) {
      if (challenge.expiresAt.getTime() <= now) this.#pending.delete(nonce);
    }
  }
}
