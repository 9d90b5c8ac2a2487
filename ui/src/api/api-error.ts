// What a failed call looks like to the screens: the contract's error reply (code, a message for
// a person, the correlation id to quote, field issues), or one made up in the browser for a
// network failure or a request the contract's own schema refused before sending.
import type { ErrorReply } from '@enclave/contracts';

export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorReply['code'] | 'NETWORK';
  readonly fields: readonly FieldProblem[];
  readonly correlationId: string | null;

  constructor(
    status: number,
    code: ErrorReply['code'] | 'NETWORK',
    message: string,
    fields: readonly FieldProblem[] = [],
    correlationId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.correlationId = correlationId;
  }

  /** The issues under one prefix (`body.`, `body.params.`), keyed by the rest of the path. */
  fieldsUnder(prefix: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      if (f.path.startsWith(prefix)) out[f.path.slice(prefix.length).split('.')[0] ?? ''] ??= f.message;
    }
    return out;
  }
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.correlationId ? `${error.message} (ref ${error.correlationId})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
