// One error type for the whole package: callers (the control plane's HTTP layer, the CLI) map the
// code to a status or an exit line in one place, and the message is written for the person who
// has to act on it.

export type CertsErrorCode =
  | 'CA_EXISTS'
  | 'CA_NOT_FOUND'
  | 'CA_CORRUPT'
  | 'WRONG_PASSPHRASE'
  | 'WEAK_PASSPHRASE'
  | 'PASSPHRASE_REQUIRED'
  | 'ROOT_KEY_OFFLINE'
  | 'UNKNOWN_PROFILE'
  | 'INVALID_NAME'
  | 'INVALID_REQUEST'
  | 'SAN_REQUIRED'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_UNKNOWN'
  | 'TOKEN_USED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NODE_MISMATCH'
  | 'CA_PIN_MISMATCH'
  | 'CSR_MALFORMED'
  | 'CSR_BAD_SIGNATURE'
  | 'CSR_UNSUPPORTED_ALGORITHM'
  | 'CSR_WEAK_KEY'
  | 'CSR_IDENTITY_MISMATCH'
  | 'CSR_FORBIDDEN_EXTENSION'
  | 'CSR_KEY_MISMATCH'
  | 'CERT_MALFORMED'
  | 'CERT_UNKNOWN_ISSUER'
  | 'CERT_REVOKED'
  | 'CERT_NOT_FOUND'
  | 'RENEWAL_GRACE_EXCEEDED'
  | 'RENEWAL_CHALLENGE_REQUIRED'
  | 'RENEWAL_CHALLENGE_INVALID'
  | 'REVOCATION_LISTENER_FAILED'
  | 'STORE_LOCKED';

export class CertsError extends Error {
  readonly code: CertsErrorCode;

  constructor(code: CertsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertsError';
    this.code = code;
  }
}

export function isCertsError(value: unknown, code?: CertsErrorCode): value is CertsError {
  return value instanceof CertsError && (code === undefined || value.code === code);
}

/** Quotes untrusted text for a message, cut short so a hostile value cannot flood a log line. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
}
