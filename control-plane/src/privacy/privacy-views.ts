// Request rows as the contract shows them. `overdue`: still open and past the deadline.
import {
  PrivacyRequestStatus,
  type IdentityVerificationMethod,
  type MyPrivacyRequest,
  type PrivacyRequestDto,
} from '@enclave/contracts';
import { isDueSoon } from './deadline-reminder.policy.ts';
import type { PrivacyRequestRow } from './privacy-request.entity.ts';

const FINISHED: readonly string[] = [
  PrivacyRequestStatus.Completed,
  PrivacyRequestStatus.InEffect,
  PrivacyRequestStatus.Lifted,
  PrivacyRequestStatus.Rejected,
];

export function isOpen(row: Pick<PrivacyRequestRow, 'status'>): boolean {
  return !FINISHED.includes(row.status);
}

/** `pendingNodes`: for an erasure, the nodes whose erase receipt is still awaited. */
export function toPrivacyRequest(
  row: PrivacyRequestRow,
  now: Date,
  pendingNodes?: readonly string[],
): PrivacyRequestDto {
  return {
    requestId: row.id,
    kind: row.kind,
    subjectUserId: row.subjectUserId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    overdue: isOpen(row) && now.getTime() > row.deadlineAt.getTime(),
    dueSoon: isOpen(row) && isDueSoon(row.deadlineAt, now),
    identityVerification: (row.identityVerification ?? null) as IdentityVerificationMethod | null,
    history: [...row.history],
    ...(row.correction != null ? { rectifiedFields: [...row.correction.fields] } : {}),
    ...(pendingNodes !== undefined ? { pendingNodes: [...pendingNodes] } : {}),
  };
}

/** The subject's own view: status and dates, not who moved it (the history stays with the DPO). */
export function toMyPrivacyRequest(row: PrivacyRequestRow, now: Date): MyPrivacyRequest {
  const finished = isOpen(row) ? undefined : row.history.findLast((entry) => entry.status === row.status)?.at;
  return {
    requestId: row.id,
    kind: row.kind,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    overdue: isOpen(row) && now.getTime() > row.deadlineAt.getTime(),
    finishedAt: finished ?? null,
    certificateIssued: row.certificate !== null && row.certificate !== undefined,
  };
}
