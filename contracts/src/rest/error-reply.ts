// The one shape of every REST error reply, and the one place that turns an error into it. The
// UI shows `message`, highlights `fields`, and asks the user to quote `correlationId`.
import { z } from 'zod';
import { ErrorCode, ErrorCodeSchema, httpStatusFor } from '../error-codes.ts';
import { ContractError } from '../errors.ts';

export const FieldIssueSchema = z.object({
  /** Dotted path into the request body or query (`steps[0].params.fps`); empty for the whole. */
  path: z.string().max(256),
  message: z.string().min(1).max(1000),
});

export const ErrorReplySchema = z.object({
  code: ErrorCodeSchema,
  /** For a person: what went wrong and what to do about it. */
  message: z.string().min(1).max(2000),
  /** The request's id in the server's logs and audit trail. */
  correlationId: z.string().min(1).max(128),
  fields: z.array(FieldIssueSchema).max(100).optional(),
});

export type ErrorReply = z.infer<typeof ErrorReplySchema>;

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorReply;
}

const MAX_FIELDS = 100;

/**
 * The HTTP status and body for any thrown value. Only ContractErrors say what happened; anything
 * else is an INTERNAL with a generic message, so stack traces and internals never reach a client.
 */
export function toErrorResponse(error: unknown, correlationId: string): ErrorResponse {
  if (
    error instanceof ContractError &&
    error.code !== ErrorCode.INTERNAL &&
    error.code !== ErrorCode.CONFIG_INVALID
  ) {
    const fields = error.issues.slice(0, MAX_FIELDS).map(({ path, message }) => ({ path, message }));
    return {
      status: httpStatusFor(error.code),
      body: {
        code: error.code,
        message: error.message,
        correlationId,
        ...(fields.length > 0 ? { fields } : {}),
      },
    };
  }
  return {
    status: httpStatusFor(ErrorCode.INTERNAL),
    body: {
      code: ErrorCode.INTERNAL,
      message: `Something went wrong on the server. If it keeps happening, give the operator this id: ${correlationId}.`,
      correlationId,
    },
  };
}
