// The messaging module's error codes. Each says what failed in terms an operator can act on;
// none carries a payload, a key or a certificate.

export const MessagingErrorCode = {
  /** The broker could not be reached or did not answer in time. */
  KAFKA_UNAVAILABLE: 'KAFKA_UNAVAILABLE',
  /** A Kafka request was answered with an error (ACL, topic or group administration). */
  KAFKA_REQUEST_FAILED: 'KAFKA_REQUEST_FAILED',
  /** The broker's answer could not be decoded. */
  KAFKA_PROTOCOL_ERROR: 'KAFKA_PROTOCOL_ERROR',
  /** Another relay with the same transactional id took over; this one must stop. */
  RELAY_FENCED: 'RELAY_FENCED',
  /** Publishing a batch failed; the batch stays pending and is retried. */
  PUBLISH_FAILED: 'PUBLISH_FAILED',
  /** An inbound message type has no handler, or more than one (a start-up error). */
  HANDLER_REGISTRY_INVALID: 'HANDLER_REGISTRY_INVALID',
  /** The control plane only sends messages that travel on jobs topics. */
  NOT_AN_OUTBOUND_MESSAGE: 'NOT_AN_OUTBOUND_MESSAGE',
  /** A node id is denied in Kafka (revoked); it cannot be provisioned again. */
  NODE_DENIED: 'NODE_DENIED',
  /** Settings for the messaging module are invalid. */
  CONFIG_INVALID: 'CONFIG_INVALID',
} as const;

export type MessagingErrorCode = (typeof MessagingErrorCode)[keyof typeof MessagingErrorCode];

export class MessagingError extends Error {
  readonly code: MessagingErrorCode;

  constructor(code: MessagingErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MessagingError';
    this.code = code;
  }
}

export function isMessagingError(error: unknown, code?: MessagingErrorCode): error is MessagingError {
  return error instanceof MessagingError && (code === undefined || error.code === code);
}

/** The message of any thrown value, for logs (never a payload: our errors do not carry one). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
