// The appliance's audit checkpoint key: Ed25519, the private half in
// `$ENCLAVE_DATA_DIR/audit-signing-key.pem` (PKCS#8, mode 0600, created at first start), the
// public half next to it in `audit-signing-key.pub.pem` and in every export, so an auditor can
// verify an export without access to the appliance.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const AUDIT_KEY_FILE = 'audit-signing-key.pem';
export const AUDIT_PUBLIC_KEY_FILE = 'audit-signing-key.pub.pem';

export class AuditSigningKey {
  readonly #privateKey: KeyObject;
  readonly publicKeyPem: string;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Reads the key, creating it (0600) on first start; (re)writes the public key file. */
  static async open(dataDir: string): Promise<AuditSigningKey> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, AUDIT_KEY_FILE);
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch {
      const { privateKey } = generateKeyPairSync('ed25519');
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      // wx: two processes starting at once must not both create (and one overwrite) the key.
      await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch(async () => {
        pem = await readFile(file, 'utf8');
      });
    }
    await chmod(file, 0o600);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch (cause) {
      throw new Error(`${file} is not a readable private key; restore it from a backup.`, { cause });
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`${file} must hold an Ed25519 key; restore it from a backup.`);
    }
    const key = new AuditSigningKey(privateKey);
    await writeFile(join(dataDir, AUDIT_PUBLIC_KEY_FILE), key.publicKeyPem, { mode: 0o644 });
    return key;
  }

  /** Ed25519 signature, base64url. */
  sign(bytes: Buffer): string {
    return sign(null, bytes, this.#privateKey).toString('base64url');
  }
}
