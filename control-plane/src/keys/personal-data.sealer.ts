// Personal-data columns (a person's email and display name) sealed under that person's subject
// key: AES-256-GCM via @enclave/crypto encryptField, the AAD binding table, row id and column,
// so a sealed value copied into another row or column does not open. Lookups go through a blind
// index (HMAC-SHA-256 under the platform index key, over the normalised email). Reads open the
// columns; once the subject key is destroyed they show ERASED instead of failing.
import type { EncryptedField } from '@enclave/contracts';
import { blindIndex, decryptFieldText, encryptField, normaliseForIndex, type DataKey } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { SubjectKeys } from './subject-keys.service.ts';

/** What a read shows in place of a personal-data column whose subject key was destroyed. */
export const ERASED = '[erased]';

/** The blind-index column name: part of the HMAC key derivation, so never change it. */
const EMAIL_INDEX_COLUMN = 'user.email';

export interface Person {
  readonly email: string;
  readonly displayName: string;
}

/** A person as reads show them: the opened columns, or ERASED in both once the key is gone. */
export interface PersonView extends Person {
  readonly erased: boolean;
}

/** The sealed columns of a person's row (user.entity.ts). */
export interface SealedPerson {
  readonly subjectKeyId: string;
  readonly emailIndex: string;
  readonly emailSealed: EncryptedField;
  readonly displayNameSealed: EncryptedField;
}

/** The part of a user row the view needs. */
export interface SealedPersonRow {
  readonly id: string;
  readonly subjectKeyId?: string | null;
  readonly emailSealed?: EncryptedField | null;
  readonly displayNameSealed?: EncryptedField | null;
}

/** The AAD of a sealed personal-data column: table, row id and column. */
export function personalDataAad(table: string, rowId: string, column: string): string {
  return `enclave/personal-data/v1/${table}/${rowId}/${column}`;
}

const ERASED_VIEW: PersonView = { email: ERASED, displayName: ERASED, erased: true };

@Injectable()
export class PersonalDataSealer {
  constructor(private readonly keys: SubjectKeys) {}

  /** Makes sure the platform index key exists (start-up). */
  async prepare(): Promise<void> {
    await this.keys.indexKey();
  }

  /** The blind index of an email, as stored in user.email_index. */
  async emailIndex(email: string): Promise<string> {
    return blindIndex(await this.keys.indexKey(), EMAIL_INDEX_COLUMN, normaliseForIndex(email));
  }

  /** Makes the person's subject key and seals their columns; the row id is bound into the AAD. */
  async sealNew(tenantId: string, userId: string, person: Person): Promise<SealedPerson> {
    const emailIndex = await this.emailIndex(person.email);
    const key = await this.keys.create(tenantId);
    try {
      return { subjectKeyId: key.keyId, emailIndex, ...seal(key, userId, person) };
    } finally {
      key.destroy();
    }
  }

  /** The person's columns opened, or ERASED once their subject key was destroyed. */
  async view(row: SealedPersonRow): Promise<PersonView> {
    return (await this.views([row]))[0] ?? ERASED_VIEW;
  }

  /** Views of many rows, opening each subject key once. */
  async views(rows: readonly SealedPersonRow[]): Promise<PersonView[]> {
    const keys = new Map<string, DataKey | null>();
    try {
      const out: PersonView[] = [];
      for (const row of rows) {
        const keyId = row.subjectKeyId;
        if (keyId == null || row.emailSealed == null || row.displayNameSealed == null) {
          out.push(ERASED_VIEW);
          continue;
        }
        if (!keys.has(keyId)) keys.set(keyId, await this.keys.open(keyId));
        const key = keys.get(keyId) ?? null;
        out.push(
          key === null
            ? ERASED_VIEW
            : {
                email: decryptFieldText(key, row.emailSealed, personalDataAad('user', row.id, 'email')),
                displayName: decryptFieldText(
                  key,
                  row.displayNameSealed,
                  personalDataAad('user', row.id, 'display_name'),
                ),
                erased: false,
              },
        );
      }
      return out;
    } finally {
      for (const key of keys.values()) key?.destroy();
    }
  }
}

/** Seals a person's columns under an open subject key (also used by the start-up sealing). */
export function seal(
  key: DataKey,
  userId: string,
  person: Person,
): Pick<SealedPerson, 'emailSealed' | 'displayNameSealed'> {
  return {
    emailSealed: encryptField(key, person.email, personalDataAad('user', userId, 'email')),
    displayNameSealed: encryptField(key, person.displayName, personalDataAad('user', userId, 'display_name')),
  };
}
