// Every signature the CA makes goes through here: SHA-256 with the CA's key (PKCS#1 v1.5 for RSA,
// which is what sha256WithRSAEncryption names). The callback form runs in libuv's pool, so a
// renewal storm uses every core instead of queueing on the event loop.
import { sign, verify, type KeyObject } from 'node:crypto';

export function signSha256(data: Buffer, privateKey: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign('sha256', data, privateKey, (error, signature) => (error ? reject(error) : resolve(signature)));
  });
}

export function verifySignature(
  algorithm: string,
  data: Buffer,
  publicKey: KeyObject,
  signature: Buffer,
): boolean {
  try {
    return verify(algorithm, data, publicKey, signature);
  } catch {
    return false;
  }
}
