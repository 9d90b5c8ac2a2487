// Bootstrap tokens: `enc1.<name>.<secret>.<ca-pin>`. The secret is 256 random bits; the pin is
// SHA-256 of the root certificate's SubjectPublicKeyInfo, so a new node can check the CA it is
// handed on first contact (kubeadm's discovery hash does the same). Only a hash of the secret is
// stored. Parsing never throws anything but CertsError('TOKEN_MALFORMED').
import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';
import { CertsError } from './certs-error.ts';
import { spkiSha256 } from './key-pairs.ts';
import { splitCertificates } from './pem.ts';
import { NAME_PATTERN } from './profiles.ts';
import { cryptoRandomBytes, type RandomBytes } from './randomness.ts';

export const TOKEN_PREFIX = 'enc1';

export interface EnrollmentToken {
  /** The node id (or operator name) the token is bound to. */
  readonly name: string;
  readonly secret: Buffer;
  /** SHA-256 of the root CA's SubjectPublicKeyInfo. */
  readonly caPin: Buffer;
}

const B64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;

export function newTokenSecret(random: RandomBytes = cryptoRandomBytes): Buffer {
  return random(32);
}

export function formatEnrollmentToken(token: EnrollmentToken): string {
  return [
    TOKEN_PREFIX,
    token.name,
    token.secret.toString('base64url'),
    token.caPin.toString('base64url'),
  ].join('.');
}

export function parseEnrollmentToken(text: unknown): EnrollmentToken {
  const malformed = (why: string): never => {
    throw new CertsError('TOKEN_MALFORMED', `Malformed enrollment token: ${why}.`);
  };
  if (typeof text !== 'string') return malformed('not a string');
  if (text.length > 256) return malformed('too long');
  const parts = text.trim().split('.');
  if (parts.length !== 4) return malformed(`expected 4 dot-separated parts, got ${parts.length}`);
  const [prefix, name, secret, pin] = parts as [string, string, string, string];
  if (prefix !== TOKEN_PREFIX)
    return malformed(`unknown format "${prefix.slice(0, 8)}" (expected ${TOKEN_PREFIX})`);
  if (!NAME_PATTERN.test(name)) return malformed('the node id part is not a valid name');
  return {
    name,
    secret: decode32(secret) ?? malformed('bad secret'),
    caPin: decode32(pin) ?? malformed('bad CA pin'),
  };
}

/** Canonical base64url of exactly 32 bytes, or undefined. */
function decode32(text: string): Buffer | undefined {
  if (!B64URL_32_BYTES.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 32 && bytes.toString('base64url') === text ? bytes : undefined;
}

/** What the store keeps instead of the secret. A fast hash is enough: the secret has 256 bits. */
export function hashTokenSecret(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretHashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

export function caPinOf(rootCertPem: string): Buffer {
  return spkiSha256(new X509Certificate(rootCertPem).publicKey);
}

/**
 * Node side, first contact: true only when `caPem` is exactly one certificate whose key is the
 * pinned one. A bundle with extra certificates is refused, or a man in the middle could slip in
 * a CA of its own next to the real root.
 */
export function verifyCaPin(token: EnrollmentToken | string, caPem: string): boolean {
  const parsed = typeof token === 'string' ? parseEnrollmentToken(token) : token;
  const certs = splitCertificates(caPem);
  if (certs.length !== 1 || certs[0] === undefined) return false;
  try {
    return timingSafeEqual(caPinOf(certs[0]), parsed.caPin);
  } catch {
    return false;
  }
}
