// The CA's refusals as contract errors, in one place: what enrollment and renewal answer when
// a token or CSR is not acceptable. The CA's messages are written for the person who must act,
// and carry no secret (the token is never quoted), so they are passed on.
import { isCertsError } from '@enclave/certs';
import { ContractError, ErrorCode } from '@enclave/contracts';

export function fromCertsError(error: unknown, field: string): unknown {
  if (!isCertsError(error)) return error;
  const code = ((): ErrorCode => {
    switch (error.code) {
      case 'TOKEN_MALFORMED':
      case 'TOKEN_UNKNOWN':
      case 'CA_PIN_MISMATCH':
        return ErrorCode.UNAUTHENTICATED;
      case 'TOKEN_USED':
        return ErrorCode.CONFLICT;
      case 'TOKEN_EXPIRED':
        return ErrorCode.GONE;
      case 'TOKEN_NODE_MISMATCH':
      case 'CERT_REVOKED':
        return ErrorCode.FORBIDDEN;
      case 'RENEWAL_GRACE_EXCEEDED':
        return ErrorCode.GONE;
      case 'CERT_NOT_FOUND':
        return ErrorCode.NOT_FOUND;
      case 'STORE_LOCKED':
        return ErrorCode.UNAVAILABLE;
      default:
        return error.code.startsWith('CSR_') ||
          error.code.startsWith('RENEWAL_') ||
          error.code === 'INVALID_NAME'
          ? ErrorCode.VALIDATION_FAILED
          : ErrorCode.INTERNAL;
    }
  })();
  if (code === ErrorCode.INTERNAL) return error;
  const fields = code === ErrorCode.VALIDATION_FAILED ? [{ path: field, message: error.message }] : [];
  return new ContractError(code, error.message, fields);
}
