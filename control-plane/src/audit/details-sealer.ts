// Audit details (an email on a failed sign-in, a legal-hold reason) are personal or
// confidential: they are stored only sealed, and the hash chain covers the ciphertext, so
// destroying the sealing key erases the details without breaking the chain.
//
// DetailsSealer is the seam the key ring takes over: in the server, SubjectKeyDetailsSealer
// (control-plane/src/keys/subject-details.sealer.ts) seals details with `subjectId` set under
// that subject's key, so erasing the subject crypto-shreds their audit details too. Everything
// else (and the offline CLIs) uses LocalKeyDetailsSealer: AES-256-GCM (@enclave/crypto
// encryptField) under a per-tenant key derived by HKDF from a 256-bit root in
// `$ENCLAVE_DATA_DIR/audit-details-root.key` (0600, created at first start). Nothing personal
// is ever written in clear.
import type { AuditAction, EncryptedField, JsonValue } from '@enclave/contracts';
import { DataKey, decryptFieldText, encryptField } from '@enclave/crypto';
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DetailsContext {
  readonly tenantId: string | null;
  readonly action: AuditAction;
  /** The data subject the details are about (a user id), when there is one. */
  readonly subjectId?: string;
}

export type AuditDetails = { readonly [key: string]: JsonValue };

export abstract class DetailsSealer {
  abstract seal(context: DetailsContext, details: AuditDetails): Promise<EncryptedField>;
  /** The details back, or null when the key is gone (erased). */
  abstract open(context: DetailsContext, sealed: EncryptedField): Promise<AuditDetails | null>;
}

export const AUDIT_DETAILS_ROOT_FILE = 'audit-details-root.key';

export function auditDetailsAad(context: DetailsContext): string {
  return `enclave/audit-details/v1/${context.tenantId ?? '-'}/${context.action}`;
}

export class LocalKeyDetailsSealer extends DetailsSealer {
  readonly #root: Buffer;

  private constructor(root: Buffer) {
    super();
    this.#root = root;
  }

  static async open(dataDir: string): Promise<LocalKeyDetailsSealer> {
    const file = join(dataDir, AUDIT_DETAILS_ROOT_FILE);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    let root: Buffer;
    try {
      root = await readFile(file);
    } catch {
      root = randomBytes(32);
      await writeFile(file, root, { mode: 0o600, flag: 'wx' }).catch(async () => {
        root = await readFile(file);
      });
    }
    await chmod(file, 0o600);
    if (root.length !== 32) throw new Error(`${file} must hold exactly 32 bytes; restore it from a backup.`);
    return new LocalKeyDetailsSealer(root);
  }

  seal(context: DetailsContext, details: AuditDetails): Promise<EncryptedField> {
    const key = this.#key(context.tenantId);
    try {
      return Promise.resolve(encryptField(key, JSON.stringify(details), auditDetailsAad(context)));
    } finally {
      key.destroy();
    }
  }

  open(context: DetailsContext, sealed: EncryptedField): Promise<AuditDetails | null> {
    const key = this.#key(context.tenantId);
    try {
      if (sealed.keyId !== key.keyId) return Promise.resolve(null);
      return Promise.resolve(
        JSON.parse(decryptFieldText(key, sealed, auditDetailsAad(context))) as AuditDetails,
      );
    } finally {
      key.destroy();
    }
  }

  #key(tenantId: string | null): DataKey {
    const info = `enclave/audit-details-key/v1/${tenantId ?? '-'}`;
    const bytes = Buffer.from(hkdfSync('sha256', this.#root, Buffer.alloc(0), info, 32));
    const keyId = `audit_${createHash('sha256').update(info).digest('hex').slice(0, 32)}`;
    try {
      return new DataKey(keyId, 'dek', bytes);
    } finally {
      bytes.fill(0);
    }
  }
}
