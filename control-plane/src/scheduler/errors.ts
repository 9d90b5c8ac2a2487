// The scheduler's errors are the contract's: ContractError with an ErrorCode, so the API's one
// exception filter maps them to HTTP without knowing the scheduler. Messages say what to do and
// quote ids cut short (ids come from requests and must not flood logs).
import { ContractError, ErrorCode, type FieldIssue } from '@enclave/contracts';

function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
}

export function notFound(kind: 'job' | 'task' | 'node', id: string, hint: string): ContractError {
  return new ContractError(ErrorCode.NOT_FOUND, `No ${kind} ${quote(id)}; ${hint}`, [
    { path: `${kind}Id`, message: `unknown ${kind}` },
  ]);
}

export function conflict(message: string, issues: readonly FieldIssue[] = []): ContractError {
  return new ContractError(ErrorCode.CONFLICT, message, issues);
}

export function invalid(what: string, issues: readonly FieldIssue[]): ContractError {
  const shown = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return new ContractError(ErrorCode.VALIDATION_FAILED, `Invalid ${what}: ${shown}${more}`, issues);
}
