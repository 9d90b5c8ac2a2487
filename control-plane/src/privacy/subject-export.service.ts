// The access right's delivery: the subject's JSON (SubjectExportBuilder) encrypted under a fresh
// key (crypto's encryptBuffer, the enclave stream format) that is handed out once, in the
// approve reply, and never stored. The ciphertext waits behind a random one-time token (only its
// SHA-256 is kept); the first download takes the bytes and drops them, the second answers 410.
import { AuditAction, ContractError, ErrorCode, type PrivacyExportDelivery } from '@enclave/contracts';
import { DataKey, encryptBuffer, exportDataKey, KeyKind } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { User } from '../database/entities/user.entity.ts';
import { PersonalDataSealer } from '../keys/personal-data.sealer.ts';
import { PrivacyExport } from './privacy-request.entity.ts';
import { buildSubjectExport, type SubjectRef } from './subject-export.builder.ts';

const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

@Injectable()
export class SubjectExports {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly people: PersonalDataSealer,
  ) {}

  async create(requestId: string, subject: SubjectRef): Promise<PrivacyExportDelivery> {
    const em = this.orm.em.fork();
    const user = await em.findOneOrFail(User, { id: subject.userId, tenant: subject.tenantId });
    const person = await this.people.view(user);
    const { bytes } = await buildSubjectExport(em, subject, person, this.clock.now());
    const key = DataKey.generate(KeyKind.Subject);
    const keyId = key.keyId;
    let ciphertext: Buffer;
    let raw: Buffer;
    try {
      ciphertext = encryptBuffer(bytes, { key });
      raw = exportDataKey(key);
    } finally {
      key.destroy();
      bytes.fill(0);
    }
    const token = this.random.bytes(32).toString('base64url');
    em.create(PrivacyExport, {
      tokenHash: tokenHash(token),
      tenant: subject.tenantId,
      requestId,
      ciphertext,
      createdAt: this.clock.now(),
      downloadedAt: null,
    });
    await em.flush();
    const delivery: PrivacyExportDelivery = {
      token,
      keyId,
      key: raw.toString('base64'),
      format: 'enclave-stream/v1 (decryptBuffer) of enclave-subject-export/v1 JSON',
    };
    raw.fill(0);
    return delivery;
  }

  /** Streams the ciphertext once; afterwards 410. Another tenant's token is 404. */
  async download(caller: UserCaller, token: string, res: ServerResponse): Promise<void> {
    const em = this.orm.em.fork();
    const hash = tokenHash(token);
    const row = await em.findOne(PrivacyExport, { tokenHash: hash, tenant: caller.tenantId });
    if (row === null) throw notFound('export');
    const at = this.clock.now();
    // One conditional UPDATE claims the download: two racing requests cannot both get it.
    const claimed = await em.nativeUpdate(
      PrivacyExport,
      { tokenHash: hash, downloadedAt: null },
      { downloadedAt: at },
    );
    if (claimed !== 1 || row.ciphertext === null || row.ciphertext === undefined) {
      throw new ContractError(
        ErrorCode.GONE,
        'This export was already downloaded; it can be fetched only once. File a new access request for another copy.',
      );
    }
    const bytes = Buffer.from(row.ciphertext);
    await em.nativeUpdate(PrivacyExport, { tokenHash: hash }, { ciphertext: null });
    await this.audit.record({
      actor: userActor(caller.userId),
      tenantId: caller.tenantId,
      action: AuditAction.PrivacyExportDownloaded,
      targets: [row.requestId],
    });
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(bytes.length));
    res.setHeader('Content-Disposition', `attachment; filename="subject-export-${row.requestId}.enc"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(bytes);
  }
}
