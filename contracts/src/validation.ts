// Turning zod's findings into FieldIssues happens here and only here, so Kafka rejections, REST
// 400s and configuration errors all name fields the same way.
import type { z } from 'zod';
import { ErrorCode } from './error-codes.ts';
import { ContractError, type FieldIssue } from './errors.ts';

/** `['body', 'steps', 0, 'step']` → `body.steps[0].step`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out === '' ? '' : '.') + String(segment);
  }
  return out;
}

/**
 * Reword the one default message that reads badly: zod says "expected number, received
 * undefined" for a missing field; a person wants "required". No message here includes the
 * input value, which may be a secret or client content.
 */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `required (expected ${issue.expected})`;
  }
  return undefined;
};

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function summarizeIssues(issues: readonly FieldIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return shown.join('; ') + more;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; issues: FieldIssue[] };

/** safeParse with this package's messages. */
export function check<S extends z.ZodType>(schema: S, value: unknown): SafeParseResult<z.output<S>> {
  const result = schema.safeParse(value, { error: errorMap });
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: toFieldIssues(result.error) };
}

/**
 * Parse or throw a VALIDATION_FAILED ContractError whose issues become the `fields` of a REST
 * error reply. `what` names the thing for the message ("task submission", "query").
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = check(schema, value);
  if (result.success) return result.data;
  throw new ContractError(
    ErrorCode.VALIDATION_FAILED,
    `Invalid ${what}: ${summarizeIssues(result.issues)}`,
    result.issues,
  );
}
