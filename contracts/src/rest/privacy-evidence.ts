// Privacy evidence (issue #7 items 6 and 8; privacy policy §4B "No-Public-Training", §7, §8, PDPL
// Art. 7 and 9): the data categories and the one allowed use, the signed no-training attestation,
// the records of processing, the breach register and the data-residency report.
import { z } from 'zod';
import { EntityIdSchema, TimestampSchema } from '../primitives.ts';
import { noCardNumbers } from './privacy.ts';

// --- Data categories and allowed uses ------------------------------------------------------------

export const DataCategory = {
  /** Uploaded video and stills. */
  ClientFootage: 'client-footage',
  /** Uploaded voice recordings and other audio. */
  ClientVoice: 'client-voice',
  /** Logos, style guides, fonts, vector art. */
  ClientBrand: 'client-brand',
  /** Scripts, titles, prompts: uploaded text and a job's sealed parameters. */
  ClientPrompt: 'client-prompt',
  /** What a step produced from the above. */
  DerivedOutput: 'derived-output',
} as const;
export type DataCategory = (typeof DataCategory)[keyof typeof DataCategory];
export const DATA_CATEGORIES = Object.values(DataCategory) as readonly DataCategory[];

/** What data may be used for. There is one use: producing the client's video. Never training. */
export const DataUse = { Production: 'production', Training: 'training' } as const;
export type DataUse = (typeof DataUse)[keyof typeof DataUse];
export const ALLOWED_DATA_USES = ['production'] as const satisfies readonly DataUse[];

/** Declared by a job submission (optional; `production` unless given). `training` is refused (403). */
export const DataPurposeSchema = z.enum(DataUse);

/** `?purpose=` on exports of client data (asset downloads): `training` is refused (403). */
export const DataPurposeQuerySchema = z.object({ purpose: DataPurposeSchema.optional() }).strict();

export const TRAINING_REFUSED_MESSAGE =
  'Client data may be used for production only: the appliance never uses footage, voice, brand assets, prompts or outputs to train a model (privacy policy §4B). Submit with purpose "production" or leave it out.';

const BRAND_NAME = /(logo|brand|style[-_ ]?guide|font)/i;

/** The category of a stored asset: task outputs are derived; uploads by media type (and name). */
export function dataCategoryOfAsset(asset: {
  readonly origin: 'upload' | 'task';
  readonly mediaType: string;
  readonly name: string;
}): DataCategory {
  if (asset.origin === 'task') return DataCategory.DerivedOutput;
  const type = asset.mediaType.toLowerCase();
  if (
    type === 'image/svg+xml' ||
    type.startsWith('font/') ||
    (type.startsWith('image/') && BRAND_NAME.test(asset.name))
  ) {
    return DataCategory.ClientBrand;
  }
  if (type.startsWith('video/') || type.startsWith('image/')) return DataCategory.ClientFootage;
  if (type.startsWith('audio/')) return DataCategory.ClientVoice;
  return DataCategory.ClientPrompt;
}

// --- No-training attestation ---------------------------------------------------------------------

export const NoTrainingAttestationBodySchema = z.object({
  format: z.literal('enclave-no-training-attestation/v1'),
  generatedAt: TimestampSchema,
  statement: z.string(),
  /** The hash-pinned local model registry (gpu-node/models.manifest.json): the only weights a step may load. */
  models: z.object({
    package: z.string(),
    version: z.string(),
    files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.int().min(1) })),
  }),
  /** Every step the nodes implement; none trains. */
  steps: z.array(
    z.object({ name: z.string(), needs: z.string(), summary: z.string(), trains: z.literal(false) }),
  ),
  policy: z.object({
    allowedUses: z.array(z.string()),
    refusedUses: z.array(z.string()),
    dataCategories: z.array(z.string()),
    /** Egress from nodes is denied; models cannot be fetched or data sent out. */
    egress: z.string(),
  }),
});

export const NoTrainingAttestationSchema = z.object({
  attestation: NoTrainingAttestationBodySchema,
  /** Ed25519 (the audit signing key) over the attestation's signing bytes, base64url. */
  signature: z.string(),
  publicKeyPem: z.string(),
});

/**
 * A signed report (records of processing, residency report): Ed25519 with the audit signing key
 * over `enclave/signed-report/v1\n<format>\n` + the canonical JSON of every other field
 * (control-plane/src/privacy-evidence/signed-report.ts); `enclave report verify FILE` checks it.
 */
function signedReportFields() {
  return {
    /** Ed25519 signature, base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be a 64-byte Ed25519 signature as base64url'),
    /** The audit signing key's public half (compare with audit-signing-key.pub.pem). */
    publicKeyPem: z.string(),
  };
}

// --- Records of processing (PDPL Art. 7) ---------------------------------------------------------

export const ProcessingActivitySchema = z.object({
  name: z.string(),
  purposes: z.array(z.string()),
  dataCategories: z.array(z.string()),
  dataSubjects: z.array(z.string()),
  /** Who receives the data; `[]` = nobody outside the facility. */
  recipients: z.array(z.string()),
  retention: z.string(),
  /** The routes or components that carry the activity out. */
  carriedOutBy: z.array(z.string()),
});

export const RecordsOfProcessingSchema = z.object({
  format: z.literal('enclave-records-of-processing/v1'),
  generatedAt: TimestampSchema,
  controller: z.object({ tenantId: EntityIdSchema, tenantName: z.string() }),
  activities: z.array(ProcessingActivitySchema),
  /** What is held now, per data category (asset and job counts of the tenant). */
  inventory: z.array(
    z.object({ dataCategory: z.string(), items: z.int().min(0), allowedUses: z.array(z.string()) }),
  ),
  retention: z.object({
    projectFilesDaysAfterCompletion: z.int().min(1),
    sessionIdleMinutes: z.int().min(1),
    sessionAbsoluteHours: z.int().min(1),
    apiTokenMaxDays: z.int().min(1),
    privacyRequestDeadlineDays: z.int().min(1),
    breachNotifyHours: z.int().min(1),
    accounts: z.string(),
    auditLog: z.string(),
  }),
  transfers: z.object({ outsideFacility: z.literal(false), statement: z.string() }),
  securityMeasures: z.array(z.string()),
  ...signedReportFields(),
});

// --- Breach register (PDPL Art. 9) ---------------------------------------------------------------

export const BreachStatus = {
  Open: 'open',
  Contained: 'contained',
  Notified: 'notified',
  Closed: 'closed',
} as const;
export type BreachStatus = (typeof BreachStatus)[keyof typeof BreachStatus];

export const BreachScopeSchema = z
  .object({
    /** Projects of the tenant affected; absent = every project of the tenant. */
    projectIds: z.array(EntityIdSchema).max(1000).optional(),
    /** The window of exposure; jobs submitted (projects created) inside it are in scope. */
    from: TimestampSchema,
    to: TimestampSchema,
  })
  .strict()
  .refine((scope) => Date.parse(scope.from) <= Date.parse(scope.to), {
    message: 'from must not be after to',
    path: ['to'],
  });

export const CreateBreachRequestSchema = z
  .object({
    detectedAt: TimestampSchema,
    description: noCardNumbers(z.string().trim().min(1, 'required').max(5000)),
    scope: BreachScopeSchema,
    status: z.enum(BreachStatus).optional(),
  })
  .strict();

export const UpdateBreachStatusRequestSchema = z.object({ status: z.enum(BreachStatus) }).strict();

export const BreachIdParamsSchema = z.object({ breachId: EntityIdSchema }).strict();

export const BreachSchema = z.object({
  breachId: EntityIdSchema,
  detectedAt: TimestampSchema,
  description: z.string(),
  scope: z.object({
    projectIds: z.array(EntityIdSchema).nullable(),
    from: TimestampSchema,
    to: TimestampSchema,
  }),
  status: z.enum(BreachStatus),
  /** detectedAt + ENCLAVE_BREACH_NOTIFY_HOURS (72): when the regulator must have been told. */
  notifyBy: TimestampSchema,
  /** Open or contained and past notifyBy. */
  overdue: z.boolean(),
  createdAt: TimestampSchema,
});

export const BreachListSchema = z.object({ items: z.array(BreachSchema) });

export const AffectedSubjectsSchema = z.object({
  breachId: EntityIdSchema,
  /** Pseudonymous ids (`user:<id>`, never an email), sorted. */
  subjects: z.array(z.object({ subject: z.string(), projects: z.int().min(0), jobs: z.int().min(0) })),
  projectsInScope: z.int().min(0),
  jobsInScope: z.int().min(0),
});

// --- Residency report ----------------------------------------------------------------------------

export const ResidencyNodeSchema = z.object({
  nodeId: z.string(),
  live: z.boolean(),
  lastHeartbeatAt: TimestampSchema.nullable(),
  /** From the latest heartbeat; null before the first one. */
  egress: z
    .object({
      since: TimestampSchema,
      allowedBytes: z.int().min(0),
      blockedConnections: z.int().min(0),
      lastBlockedAt: TimestampSchema.nullable(),
    })
    .nullable(),
});

export const ResidencyReportSchema = z.object({
  format: z.literal('enclave-residency-report/v1'),
  generatedAt: TimestampSchema,
  statement: z.string(),
  nodes: z.array(ResidencyNodeSchema),
  totals: z.object({
    nodes: z.int().min(0),
    reporting: z.int().min(0),
    allowedBytes: z.int().min(0),
    blockedConnections: z.int().min(0),
    lastBlockedAt: TimestampSchema.nullable(),
  }),
  ...signedReportFields(),
});

export type NoTrainingAttestationBody = z.infer<typeof NoTrainingAttestationBodySchema>;
export type NoTrainingAttestation = z.infer<typeof NoTrainingAttestationSchema>;
export type ProcessingActivity = z.infer<typeof ProcessingActivitySchema>;
export type RecordsOfProcessing = z.infer<typeof RecordsOfProcessingSchema>;
export type CreateBreachRequest = z.infer<typeof CreateBreachRequestSchema>;
export type BreachDto = z.infer<typeof BreachSchema>;
export type AffectedSubjects = z.infer<typeof AffectedSubjectsSchema>;
export type ResidencyReport = z.infer<typeof ResidencyReportSchema>;
