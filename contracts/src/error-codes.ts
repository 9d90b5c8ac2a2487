// Every failure Enclave reports, over REST or Kafka, carries one of these codes. The HTTP status
// of each lives in exactly one place, httpStatusFor, so the API and the UI never disagree.
import { z } from 'zod';

export const ErrorCode = {
  /** A request or message failed its schema; `fields`/`issues` say where. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** The bytes are not a message at all: empty, not UTF-8 or not JSON. */
  MALFORMED_PAYLOAD: 'MALFORMED_PAYLOAD',
  /** The message or request is larger than the limit for its channel. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The body's media type is not accepted, or its bytes are not what its declared type says. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A wire schema version this reader does not speak. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** A message type this reader does not know. */
  UNKNOWN_MESSAGE_TYPE: 'UNKNOWN_MESSAGE_TYPE',
  /** A known message type on a topic kind that may not carry it (e.g. task.assign on results.*). */
  TOPIC_MISMATCH: 'TOPIC_MISMATCH',
  /** A message whose nodeId is not the node whose topic carried it: treated as impersonation. */
  NODE_MISMATCH: 'NODE_MISMATCH',
  /** A result or renewal for an assignment epoch that has been superseded (fencing). */
  STALE_EPOCH: 'STALE_EPOCH',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  /** The request conflicts with current state (duplicate, wrong state, legal hold...). */
  CONFLICT: 'CONFLICT',
  /**
   * The data is under a data-subject restriction or objection in effect (privacy policy §10):
   * no processing until the data-protection officer lifts it. 409, like any state conflict.
   */
  PROCESSING_RESTRICTED: 'PROCESSING_RESTRICTED',
  /** The thing existed and has been erased or expired for good. */
  GONE: 'GONE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Start-up configuration is invalid; the process must not run. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A dependency (Kafka, disk, a node) is unavailable for now; retrying later may work. */
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES = Object.values(ErrorCode) as readonly ErrorCode[];

export const ErrorCodeSchema = z.enum(ErrorCode);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The HTTP status for a code. The switch is exhaustive: adding a code without a status here is
 * a compile error (the `never` assignment below), not a silent 500.
 */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.MALFORMED_PAYLOAD:
    case ErrorCode.UNSUPPORTED_VERSION:
    case ErrorCode.UNKNOWN_MESSAGE_TYPE:
    case ErrorCode.TOPIC_MISMATCH:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.NODE_MISMATCH:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
    case ErrorCode.PROCESSING_RESTRICTED:
    case ErrorCode.STALE_EPOCH:
      return 409;
    case ErrorCode.GONE:
      return 410;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.CONFIG_INVALID:
    case ErrorCode.INTERNAL:
      return 500;
    case ErrorCode.UNAVAILABLE:
      return 503;
    default: {
      const unhandled: never = code;
      throw new Error(`No HTTP status for error code ${String(unhandled)}`);
    }
  }
}
