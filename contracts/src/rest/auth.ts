// Sign-in, sessions and API tokens on the wire. Passwords and token secrets go in request or
// response bodies only, never in a path or query string, where proxies and logs would keep them.
import { z } from 'zod';
import { EntityIdSchema, TimestampSchema } from '../primitives.ts';
import { RoleSchema } from './roles.ts';

export const SESSION_COOKIE = '__Host-enclave_session';
/** API tokens start with this, so a leaked one is recognisable (secret scanners, log review). */
export const API_TOKEN_PREFIX = 'enc_pat_';

export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address'));

/** Long enough for a passphrase; the cap keeps a hostile body from costing hashing time. */
export const PasswordSchema = z.string().min(1, 'required').max(1024);

/** What an operator may set as a new password: length is the rule that matters (NIST 800-63B). */
export const NewPasswordSchema = z.string().min(12, 'must be at least 12 characters').max(1024);

export const LoginRequestSchema = z.object({ email: EmailSchema, password: PasswordSchema }).strict();

export const CredentialKindSchema = z.enum(['session', 'token']);

export const CurrentUserSchema = z.object({
  userId: EntityIdSchema,
  tenantId: EntityIdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  /** How this request was authenticated. */
  via: CredentialKindSchema,
  /**
   * True when the tenant's current privacy notice must be acknowledged (again): no consent yet, or
   * the last one is on a version older than the latest material one. Absent where not computed.
   */
  reacknowledgementRequired: z.boolean().optional(),
});

export const LoginReplySchema = CurrentUserSchema.extend({
  /** When the session ends at the latest; it ends earlier after a period without requests. */
  sessionExpiresAt: TimestampSchema,
});

export const TokenNameSchema = z.string().trim().min(1, 'required').max(100);

export const CreateApiTokenRequestSchema = z
  .object({
    name: TokenNameSchema,
    /** Lifetime in days; the server's default applies when absent, its maximum always. */
    expiresInDays: z.int().min(1).max(365).optional(),
  })
  .strict();

export const ApiTokenSummarySchema = z.object({
  tokenId: EntityIdSchema,
  name: z.string(),
  role: RoleSchema,
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable(),
});

export const CreatedApiTokenSchema = ApiTokenSummarySchema.extend({
  /** The secret, shown this once; only its hash is stored. Send as `Authorization: Bearer <token>`. */
  token: z.string().startsWith(API_TOKEN_PREFIX),
});

export const ApiTokenListSchema = z.object({ items: z.array(ApiTokenSummarySchema) });

export const TokenIdParamsSchema = z.object({ tokenId: EntityIdSchema }).strict();

export type LoginRequest = z.infer<typeof LoginRequestSchema>;
export type CurrentUser = z.infer<typeof CurrentUserSchema>;
export type LoginReply = z.infer<typeof LoginReplySchema>;
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequestSchema>;
export type ApiTokenSummary = z.infer<typeof ApiTokenSummarySchema>;
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;
