// The root key at rest: PKCS#8 EncryptedPrivateKeyInfo, PBES2 with scrypt and AES-256-CBC, the
// format `openssl pkcs8 -topk8 -scrypt` writes. Node cannot choose scrypt when exporting, so the
// structure is built here; reading goes through Node (OpenSSL), which proves the file is a
// standard one that can be carried offline and opened with stock tools.
//
// N=2^14, r=8 stays under OpenSSL's 32 MiB scrypt memory cap for PKCS#8 (2^15 is refused by both
// `openssl pkey` and Node); p=8 buys work factor without memory (about 0.3 s per unlock).
import { createCipheriv, createPrivateKey, scrypt as scryptCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { int, OID, octets, oid, seq, toDer } from './asn1-encoding.ts';
import { CertsError } from './certs-error.ts';
import { derToPem } from './pem.ts';
import { cryptoRandomBytes, type RandomBytes } from './randomness.ts';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 8 } as const;
export const MIN_PASSPHRASE_LENGTH = 12;

export async function encryptPrivateKey(
  key: KeyObject,
  passphrase: string,
  random: RandomBytes = cryptoRandomBytes,
): Promise<string> {
  const salt = random(16);
  const iv = random(16);
  const { N, r, p } = SCRYPT_PARAMS;
  const kek = await scrypt(passphrase, salt, 32, { N, r, p, maxmem: 64 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-cbc', kek, iv);
  const plain = key.export({ type: 'pkcs8', format: 'der' });
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  const info = seq([
    seq([
      oid(OID.pbes2),
      seq([
        seq([oid(OID.scrypt), seq([octets(salt), int(N), int(r), int(p), int(32)])]),
        seq([oid(OID.aes256Cbc), octets(iv)]),
      ]),
    ]),
    octets(encrypted),
  ]);
  return derToPem(toDer(info), 'ENCRYPTED PRIVATE KEY');
}

/** Decrypts with OpenSSL's own PKCS#8 reader; any failure there means the passphrase is wrong. */
export function decryptPrivateKey(pem: string, passphrase: string): KeyObject {
  if (!pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) {
    throw new CertsError('CA_CORRUPT', 'The root key file is not an encrypted PKCS#8 key.');
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (cause) {
    throw new CertsError('WRONG_PASSPHRASE', 'Wrong CA passphrase: the root key could not be decrypted.', {
      cause,
    });
  }
}

export function assertPassphraseStrength(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new CertsError(
      'WEAK_PASSPHRASE',
      `The CA passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters; a passphrase of several words is best.`,
    );
  }
}
