// Client text (scripts, prompts, on-screen words) leaves the control plane only sealed: an
// AES-256-GCM EncryptedField bound by its additional data to the tenant, job and field, so a
// sealed value copied into another job does not open there. The AAD is derivable from a
// task.assign envelope: `enclave/sealed/v1/<tenantId>/<jobId>/<field>`.
//
// INTERIM (issue #6 finishes key management): InterimProjectKeySealer derives one key per
// project by HKDF from a 256-bit root kept in `$ENCLAVE_DATA_DIR/interim-field-root.key`
// (0600, created at first start). It is real AES-256-GCM (@enclave/crypto encryptField), but
// the keys are not yet the KeyRing's wrapped project DEKs, so destroying a project DEK cannot
// yet erase them, and agents cannot yet fetch the key. Replace it with a KeyRing-backed Sealer.
import type { EncryptedField } from '@enclave/contracts';
import { DataKey, encryptField } from '@enclave/crypto';
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SealContext {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string;
  readonly field: string;
}

export abstract class Sealer {
  abstract seal(context: SealContext, plaintext: string): EncryptedField;
}

export function sealedFieldAad(context: Pick<SealContext, 'tenantId' | 'jobId' | 'field'>): string {
  return `enclave/sealed/v1/${context.tenantId}/${context.jobId}/${context.field}`;
}

export const INTERIM_ROOT_FILE = 'interim-field-root.key';

export class InterimProjectKeySealer extends Sealer {
  readonly #root: Buffer;

  private constructor(root: Buffer) {
    super();
    this.#root = root;
  }

  /** Reads the root key, creating it (0600) on first start. */
  static async open(dataDir: string): Promise<InterimProjectKeySealer> {
    const file = join(dataDir, INTERIM_ROOT_FILE);
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
    return new InterimProjectKeySealer(root);
  }

  /** The project's key; its id is stable, so a reader can tell which key to ask for. */
  projectKey(tenantId: string, projectId: string): DataKey {
    const info = `enclave/interim-project-dek/v1/${tenantId}/${projectId}`;
    const bytes = Buffer.from(hkdfSync('sha256', this.#root, Buffer.alloc(0), info, 32));
    const keyId = `dek_interim_${createHash('sha256').update(info).digest('hex').slice(0, 32)}`;
    try {
      return new DataKey(keyId, 'dek', bytes);
    } finally {
      bytes.fill(0);
    }
  }

  seal(context: SealContext, plaintext: string): EncryptedField {
    const key = this.projectKey(context.tenantId, context.projectId);
    try {
      return encryptField(key, plaintext, sealedFieldAad(context));
    } finally {
      key.destroy();
    }
  }
}
