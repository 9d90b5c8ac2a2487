// Keeping the root offline: the encrypted root key can be copied out (to offline media), removed
// from the appliance, and brought back for a ceremony. The file is the standard scrypt-encrypted
// PKCS#8, so `openssl pkey` on any machine can open it with the passphrase.
import { copyFile, rm } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';
import { caPath, CA_FILES } from './ca-layout.ts';
import { CertsError } from './certs-error.ts';
import { decryptPrivateKey } from './encrypted-private-key.ts';
import { sameKey } from './key-pairs.ts';
import { loadCaMaterial } from './ca-material.ts';

export async function exportRootKey(
  dir: string,
  outPath: string,
  options: { remove?: boolean } = {},
): Promise<void> {
  await loadCaMaterial(dir); // refuses a missing or inconsistent CA before touching anything
  if ((await readTextIfExists(caPath(dir, 'rootKey'))) === undefined) {
    throw new CertsError('ROOT_KEY_OFFLINE', `The root key is not in ${dir}; it is already offline.`);
  }
  await copyFile(caPath(dir, 'rootKey'), outPath);
  const copy = await readTextIfExists(outPath);
  if (copy !== (await readTextIfExists(caPath(dir, 'rootKey')))) {
    throw new CertsError(
      'CA_CORRUPT',
      `The copy at ${outPath} does not match ${CA_FILES.rootKey}; nothing was removed.`,
    );
  }
  if (options.remove) await rm(caPath(dir, 'rootKey'));
}

/** Brings the root key back; it must decrypt with the passphrase and match the root certificate. */
export async function importRootKey(dir: string, inPath: string, passphrase: string): Promise<void> {
  const material = await loadCaMaterial(dir);
  const pem = await readTextIfExists(inPath);
  if (pem === undefined) throw new CertsError('INVALID_REQUEST', `${inPath} does not exist.`);
  const key = decryptPrivateKey(pem, passphrase);
  if (!sameKey(key, new X509Certificate(material.root.pem).publicKey)) {
    throw new CertsError('INVALID_REQUEST', `${inPath} is not the key of this CA's root certificate.`);
  }
  await writeFileAtomic(caPath(dir, 'rootKey'), pem, 0o600);
}
