// The DetailsSealer over subject keys (the seam of audit/details-sealer.ts): audit details about
// a person (`subjectId` set, e.g. the email typed in a failed sign-in of a known account) are
// sealed under that person's subject key, so erasing the person crypto-shreds them with their
// account columns. Details with no subject, or about an account without a subject key, go to the
// tenant sealer as before. `open` tells the two apart by the key id the ciphertext names, and
// answers null once the subject key was destroyed.
import type { EncryptedField } from '@enclave/contracts';
import { decryptFieldText, encryptField, KEY_ID_PREFIX, KeyKind } from '@enclave/crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import {
  auditDetailsAad,
  DetailsSealer,
  type AuditDetails,
  type DetailsContext,
} from '../audit/details-sealer.ts';
import { User } from '../database/entities/user.entity.ts';
import type { SubjectKeys } from './subject-keys.service.ts';

export class SubjectKeyDetailsSealer extends DetailsSealer {
  constructor(
    private readonly tenantSealer: DetailsSealer,
    private readonly keys: SubjectKeys,
    private readonly orm: MikroORM,
  ) {
    super();
  }

  async seal(context: DetailsContext, details: AuditDetails): Promise<EncryptedField> {
    const keyId = context.subjectId === undefined ? null : await this.#subjectKeyOf(context.subjectId);
    // An erased person's key is gone: what is still recorded about them goes under the tenant key.
    const key = keyId == null ? null : await this.keys.open(keyId);
    if (key === null) return this.tenantSealer.seal(context, details);
    try {
      return encryptField(key, JSON.stringify(details), auditDetailsAad(context));
    } finally {
      key.destroy();
    }
  }

  async open(context: DetailsContext, sealed: EncryptedField): Promise<AuditDetails | null> {
    if (!sealed.keyId.startsWith(KEY_ID_PREFIX[KeyKind.Subject]))
      return this.tenantSealer.open(context, sealed);
    const key = await this.keys.open(sealed.keyId);
    if (key === null) return null;
    try {
      return JSON.parse(decryptFieldText(key, sealed, auditDetailsAad(context))) as AuditDetails;
    } finally {
      key.destroy();
    }
  }

  async #subjectKeyOf(userId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(User, { id: userId }, { fields: ['subjectKeyId'] });
    return row?.subjectKeyId ?? null;
  }
}
