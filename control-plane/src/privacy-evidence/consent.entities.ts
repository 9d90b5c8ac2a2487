// Privacy notices and consent records (privacy policy §5, §13). A notice's text is kept whole
// (it is not personal data) with its SHA-256; a consent record keeps the hash of what the user
// was shown and their choices. Records are only ever added: a change of mind is a new record.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Tenant } from '../database/entities/tenant.entity.ts';

export const PrivacyNoticeRecord = defineEntity({
  name: 'PrivacyNoticeRecord',
  tableName: 'privacy_notice',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    version: p.integer(),
    material: p.boolean(),
    textSha256: p.string().length(64),
    text: p.text(),
    publishedAt: p.datetime(),
    /** `user:<id>` of the DPO who published it. */
    publishedBy: p.string().length(80),
  },
  uniques: [{ properties: ['tenant', 'version'] }],
});

export type PrivacyNoticeRow = InferEntity<typeof PrivacyNoticeRecord>;

export const ConsentRecord = defineEntity({
  name: 'ConsentRecord',
  properties: {
    id: p.string().primary(),
    tenant: () => p.manyToOne(Tenant),
    /** A bare id, like privacy requests: the record outlives an erased (pseudonymised) account. */
    userId: p.string().length(64),
    noticeId: p.string().length(64),
    noticeVersion: p.integer(),
    shownTextSha256: p.string().length(64),
    analytics: p.boolean(),
    personalisation: p.boolean(),
    marketing: p.boolean(),
    recordedAt: p.datetime(),
  },
  indexes: [{ properties: ['tenant', 'userId'] }, { properties: ['tenant', 'noticeVersion'] }],
});

export type ConsentRecordRow = InferEntity<typeof ConsentRecord>;
