// Keys come from Node's crypto (OpenSSL), never from forge: forge's pure-JS RSA keygen takes
// seconds and its verifier has had CVEs. Generation is async so a 4096-bit root does not freeze
// the event loop of a running control plane.
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { CertsError } from './certs-error.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export type LeafKeyType = 'rsa-3072' | 'ec-p256';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export async function generateRsaKeyPair(modulusLength: number): Promise<KeyPair> {
  return generateKeyPairAsync('rsa', { modulusLength, publicExponent: 0x10001 });
}

export async function generateLeafKeyPair(type: LeafKeyType = 'rsa-3072'): Promise<KeyPair> {
  if (type === 'ec-p256') return generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
  return generateRsaKeyPair(3072);
}

export const privateKeyPem = (key: KeyObject): string =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();
export const publicKeyPem = (key: KeyObject): string =>
  key.export({ type: 'spki', format: 'pem' }).toString();
/** The SubjectPublicKeyInfo of a public key, or of the public half of a private key. */
export const spkiDer = (key: KeyObject): Buffer =>
  (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });

export function loadPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new CertsError('CA_CORRUPT', 'A private key file could not be read.', { cause });
  }
}

export function loadPublicKey(pemOrSpkiDer: string | Buffer): KeyObject {
  try {
    return typeof pemOrSpkiDer === 'string'
      ? createPublicKey({ key: pemOrSpkiDer, format: 'pem' })
      : createPublicKey({ key: pemOrSpkiDer, format: 'der', type: 'spki' });
  } catch (cause) {
    throw new CertsError('INVALID_REQUEST', 'The public key could not be read.', { cause });
  }
}

/** Which keys a leaf may carry. RSA below 3072 bits falls short of the appliance's 128-bit target. */
export function checkLeafKeyStrength(key: KeyObject): void {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 3072 || bits > 8192) {
      throw new CertsError('CSR_WEAK_KEY', `RSA key of ${bits} bits refused: use 3072 to 8192 bits.`);
    }
    if (details.publicExponent !== 65537n) {
      throw new CertsError('CSR_WEAK_KEY', 'RSA public exponent must be 65537.');
    }
    return;
  }
  if (
    key.asymmetricKeyType === 'ec' &&
    (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1')
  ) {
    return;
  }
  const kind =
    key.asymmetricKeyType === 'ec' ? `EC ${details.namedCurve ?? '?'}` : (key.asymmetricKeyType ?? '?');
  throw new CertsError('CSR_WEAK_KEY', `Key type ${kind} refused: use RSA (3072+ bits) or EC P-256/P-384.`);
}

/** SHA-256 of the DER SubjectPublicKeyInfo: the CA pin in tokens (like kubeadm's discovery hash). */
export function spkiSha256(key: KeyObject): Buffer {
  return createHash('sha256').update(spkiDer(key)).digest();
}

export function sameKey(a: KeyObject, b: KeyObject): boolean {
  return spkiDer(a).equals(spkiDer(b));
}
