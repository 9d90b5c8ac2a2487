// Session ids and API-token secrets are 256 random bits: a single SHA-256 is a safe way to
// store them (nothing to brute-force), and it lets the lookup be an indexed equality.
import { createHash } from 'node:crypto';

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
