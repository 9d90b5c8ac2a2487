// Request rows as the contract shows them. `overdue`: still open and past the deadline.
import {
  PrivacyRequestStatus,
  type IdentityVerificationMethod,
  type PrivacyRequestDto,
} from '@enclave/contracts';
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

export function toPrivacyRequest(row: PrivacyRequestRow, now: Date): PrivacyRequestDto {
  return {
    requestId: row.id,
    kind: row.kind,
    subjectUserId: row.subjectUserId,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    deadlineAt: row.deadlineAt.toISOString(),
    overdue: isOpen(row) && now.getTime() > row.deadlineAt.getTime(),
    identityVerification: (row.identityVerification ?? null) as IdentityVerificationMethod | null,
    history: [...row.history],
  };
}
