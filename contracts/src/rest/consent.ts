// Privacy notices and consent records (issue #7 item 4; privacy policy §5, §10 "object", §13
// "changes will be communicated"): the DPO publishes versioned notices; every user records what
// they were shown (the notice's SHA-256) and their choices. A *material* new version asks every
// user whose last consent is on an older version to acknowledge again.
import { z } from 'zod';
import { EntityIdSchema, Sha256HexSchema, TimestampSchema } from '../primitives.ts';
import { noCardNumbers } from './privacy.ts';

/** The choices a user makes; `essential` (the session cookie, the audit log) cannot be refused. */
export const ConsentPurpose = {
  Essential: 'essential',
  Analytics: 'analytics',
  Personalisation: 'personalisation',
  Marketing: 'marketing',
} as const;
export type ConsentPurpose = (typeof ConsentPurpose)[keyof typeof ConsentPurpose];
/** The purposes a user may refuse. */
export const OPTIONAL_CONSENT_PURPOSES = ['analytics', 'personalisation', 'marketing'] as const;

export const PublishNoticeRequestSchema = z
  .object({
    /** The full text users are shown (plain text or Markdown). */
    text: noCardNumbers(z.string().trim().min(1, 'required').max(100_000)),
    /** A material change (new purpose, new recipient, longer retention): everyone acknowledges again. */
    material: z.boolean(),
  })
  .strict();

export const PrivacyNoticeSchema = z.object({
  noticeId: EntityIdSchema,
  /** 1, 2, 3, … per tenant. */
  version: z.int().min(1),
  material: z.boolean(),
  /** SHA-256 (hex) of the UTF-8 text: what a consent record says was shown. */
  textSha256: Sha256HexSchema,
  text: z.string(),
  publishedAt: TimestampSchema,
});

export const RecordConsentRequestSchema = z
  .object({
    /** The notice that was shown; must be the current one (409 otherwise). */
    noticeId: EntityIdSchema,
    /** SHA-256 of the text as shown; must match the notice's (409 otherwise). */
    shownTextSha256: Sha256HexSchema,
    /** Always true: essential processing cannot be refused. May be omitted. */
    essential: z.literal(true).optional(),
    analytics: z.boolean(),
    personalisation: z.boolean(),
    marketing: z.boolean(),
  })
  .strict();

export const ConsentChoicesSchema = z.object({
  essential: z.literal(true),
  analytics: z.boolean(),
  personalisation: z.boolean(),
  marketing: z.boolean(),
});

export const ConsentRecordSchema = z.object({
  consentId: EntityIdSchema,
  noticeId: EntityIdSchema,
  noticeVersion: z.int().min(1),
  shownTextSha256: Sha256HexSchema,
  choices: ConsentChoicesSchema,
  recordedAt: TimestampSchema,
});

export const ConsentStatusSchema = z.object({
  /** The current notice's version, or null while none is published. */
  currentNoticeVersion: z.int().min(1).nullable(),
  /**
   * True when a notice is published and the caller has no consent record, or their last one is
   * on a version older than the latest material version.
   */
  reacknowledgementRequired: z.boolean(),
});

export const ConsentHistorySchema = ConsentStatusSchema.extend({
  /** The caller's own records, newest first. */
  items: z.array(ConsentRecordSchema),
});

const ChoiceCountSchema = z.object({ granted: z.int().min(0), refused: z.int().min(0) });

export const ConsentStatsSchema = z.object({
  /** Per notice version (newest first): each user's latest record on that version counted once. */
  items: z.array(
    z.object({
      noticeId: EntityIdSchema,
      noticeVersion: z.int().min(1),
      material: z.boolean(),
      users: z.int().min(0),
      records: z.int().min(0),
      analytics: ChoiceCountSchema,
      personalisation: ChoiceCountSchema,
      marketing: ChoiceCountSchema,
    }),
  ),
  /** Users of the tenant who must acknowledge the current notice (again). */
  usersAwaitingAcknowledgement: z.int().min(0),
});

export type PublishNoticeRequest = z.infer<typeof PublishNoticeRequestSchema>;
export type PrivacyNotice = z.infer<typeof PrivacyNoticeSchema>;
export type RecordConsentRequest = z.infer<typeof RecordConsentRequestSchema>;
export type ConsentChoices = z.infer<typeof ConsentChoicesSchema>;
export type ConsentRecordDto = z.infer<typeof ConsentRecordSchema>;
export type ConsentStatus = z.infer<typeof ConsentStatusSchema>;
export type ConsentHistory = z.infer<typeof ConsentHistorySchema>;
export type ConsentStats = z.infer<typeof ConsentStatsSchema>;
