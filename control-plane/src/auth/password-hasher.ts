// Password hashing with scrypt (Node's crypto, RFC 7914). Parameters are stored in each hash, so
// raising the cost later only affects new hashes: `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`.
// Defaults: N = 2^17, r = 8, p = 1 (OWASP's recommendation: 128 MiB, about 0.35 s on one core
// here; ENCLAVE_PASSWORD_SCRYPT_LOG2N changes N), 16-byte salt, 32-byte key, compared in
// constant time. The per-address sign-in limit bounds how many run at once.
import { Inject, Injectable } from '@nestjs/common';
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type DatabaseConfig } from '../config/control-plane.config.ts';

const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const FORMAT = /^scrypt\$(\d{2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2n;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r * p };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

@Injectable()
export class PasswordHasher {
  readonly #log2n: number;
  #dummy: Promise<string> | undefined;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) config: Pick<DatabaseConfig, 'ENCLAVE_PASSWORD_SCRYPT_LOG2N'>,
    private readonly random: Randomness,
  ) {
    this.#log2n = config.ENCLAVE_PASSWORD_SCRYPT_LOG2N;
  }

  async hash(password: string): Promise<string> {
    const salt = this.random.bytes(SALT_BYTES);
    const key = await derive(password, salt, this.#log2n, R, P);
    return `scrypt$${this.#log2n}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const match = FORMAT.exec(stored);
    if (!match) return false;
    const [, log2n, r, p, salt, key] = match as unknown as [string, string, string, string, string, string];
    const expected = Buffer.from(key, 'base64url');
    const actual = await derive(
      password,
      Buffer.from(salt, 'base64url'),
      Number(log2n),
      Number(r),
      Number(p),
    );
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /**
   * Spends the same time as a real check and always fails: used when the account does not
   * exist, so the reply time does not tell an attacker which emails have accounts.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.#dummy ??= this.hash(this.random.bytes(16).toString('base64url'));
    await this.verify(password, await this.#dummy);
    return false;
  }
}
