// The error classes of the contract. Whatever throws them, a single exception filter (REST) or
// dead-letter path (Kafka) can map them by `code` with httpStatusFor, and show `issues` as fields.
import { ErrorCode } from './error-codes.ts';

/** One problem at one place: `path` is dotted (`body.steps[0].step`), empty for the whole value. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A failure with a contract ErrorCode: a rejected message, DTO or configuration. The message is
 * written for a person (what is wrong and what to do) and never contains the offending values
 * of a payload, which may be client content or secrets.
 */
export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: readonly FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContractError';
    this.code = code;
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}

/** Start-up configuration is invalid. Each issue's path is the environment variable's name. */
export class ConfigError extends ContractError {
  constructor(message: string, issues: readonly FieldIssue[]) {
    super(ErrorCode.CONFIG_INVALID, message, issues);
    this.name = 'ConfigError';
  }
}

/** Quotes untrusted text for an error message, cut short so a hostile value cannot flood logs. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
}
