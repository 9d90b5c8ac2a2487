// Rectification (privacy policy §10, PDPL): the correction a request names is applied to the
// subject's profile (display name, email) when the DPO approves it. The corrected values are
// personal data, so from filing to approval they wait sealed under the subject's own key
// (AAD names the request) and are cleared once applied or rejected. Applying goes through the
// person's sealed columns (PersonalDataSealer, UsersRepository.replacePerson): the new values are
// sealed under the same subject key, the email's blind index follows (a new email another account
// already uses is 409), and one audit entry keeps old → new sealed under that key. Replies and log
// lines name the fields only, never their values.
import {
  AuditAction,
  RectifiableField,
  type Rectification,
  type RectifiableField as Field,
} from '@enclave/contracts';
import { decryptFieldText, encryptField, type DataKey } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import { UsersRepository } from '../auth/users.repository.ts';
import { conflict } from '../common/errors.ts';
import { User } from '../database/entities/user.entity.ts';
import { PersonalDataSealer, seal, type Person } from '../keys/personal-data.sealer.ts';
import { SubjectKeys } from '../keys/subject-keys.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import type { SealedCorrection } from './privacy-request.entity.ts';
import type { SubjectRef } from './subject-export.builder.ts';

const FIELDS: readonly Field[] = [RectifiableField.DisplayName, RectifiableField.Email];

export function correctionAad(requestId: string): string {
  return `enclave/privacy-request/v1/${requestId}/correction`;
}

const ERASED_MESSAGE = 'The subject’s personal data has been erased; there is nothing left to rectify.';

@Injectable()
export class SubjectRectification {
  constructor(
    private readonly orm: MikroORM,
    private readonly keys: SubjectKeys,
    private readonly sealer: PersonalDataSealer,
    private readonly users: UsersRepository,
    private readonly audit: AuditTrail,
    private readonly log: AppLogger,
  ) {}

  /** The correction sealed under the subject's key, for the request row. */
  async seal(requestId: string, subject: SubjectRef, correction: Rectification): Promise<SealedCorrection> {
    const { keyId, key } = await this.#subjectKey(subject);
    try {
      const fields = FIELDS.filter((f) => correction[f] !== undefined);
      return {
        subjectKeyId: keyId,
        fields,
        sealed: encryptField(key, JSON.stringify(correction), correctionAad(requestId)),
      };
    } finally {
      key.destroy();
    }
  }

  /** Applies the sealed correction; returns the fields that actually changed. */
  async apply(
    requestId: string,
    subject: SubjectRef,
    correction: SealedCorrection,
    byUserId: string,
  ): Promise<Field[]> {
    const { keyId, key, row } = await this.#subjectKey(subject);
    try {
      if (keyId !== correction.subjectKeyId || correction.sealed === null) throw conflict(ERASED_MESSAGE);
      const wanted = JSON.parse(
        decryptFieldText(key, correction.sealed, correctionAad(requestId)),
      ) as Rectification;
      const current = await this.sealer.view(row);
      if (current.erased) throw conflict(ERASED_MESSAGE);
      const next: Person = {
        email: wanted.email ?? current.email,
        displayName: wanted.displayName ?? current.displayName,
      };
      const changed = FIELDS.filter((f) => next[f] !== current[f]);
      if (changed.length > 0) {
        let emailIndex = row.emailIndex;
        if (changed.includes(RectifiableField.Email)) {
          emailIndex = await this.sealer.emailIndex(next.email);
          if (emailIndex !== row.emailIndex && (await this.users.emailTaken(emailIndex))) {
            throw conflict(
              'Another account already uses the corrected email; agree another address with the subject, then file a new request.',
            );
          }
        }
        if (emailIndex === null || emailIndex === undefined) throw conflict(ERASED_MESSAGE);
        await this.users.replacePerson(row.id, { emailIndex, ...seal(key, row.id, next) });
      }
      // old → new only inside the sealed details (under the subject's key, erased with them).
      await this.audit.record({
        actor: userActor(byUserId),
        tenantId: subject.tenantId,
        action: AuditAction.PrivacySubjectRectified,
        targets: [requestId, subject.userId],
        details: {
          fields: changed,
          changes: Object.fromEntries(changed.map((f) => [f, { old: current[f], new: next[f] }])),
        },
        subjectId: subject.userId,
      });
      this.log.write('info', 'Rectification applied', {
        requestId,
        subjectUserId: subject.userId,
        fields: changed,
      });
      return changed;
    } finally {
      key.destroy();
    }
  }

  async #subjectKey(subject: SubjectRef) {
    const row = await this.orm.em.fork().findOne(User, { id: subject.userId, tenant: subject.tenantId });
    const keyId = row?.subjectKeyId;
    if (row === null || keyId == null) throw conflict(ERASED_MESSAGE);
    const key: DataKey | null = await this.keys.open(keyId);
    if (key === null) throw conflict(ERASED_MESSAGE);
    return { keyId, key, row };
  }
}
