// What the appliance holds about one data subject, as one machine-readable JSON document
// (privacy policy §10 "Access"): their account row minus secrets, their sessions and API tokens
// (times and names only), the projects linked to them with their jobs and asset metadata, the
// audit entries naming them, their privacy requests and consent records. Nothing of anyone else: another user's id
// met in a job or an audit entry is replaced by "another-user". Sealed audit details and sealed
// job text are not opened (the ciphertext is no use to the subject and may be about others).
import { canonicalJson, type JsonValue } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { AuditEntryRecord } from '../audit/audit-entry.entity.ts';
import { ApiToken } from '../database/entities/api-token.entity.ts';
import { Asset } from '../database/entities/asset.entity.ts';
import { Job } from '../database/entities/job.entity.ts';
import { Project } from '../database/entities/project.entity.ts';
import { Session } from '../database/entities/session.entity.ts';
import { User } from '../database/entities/user.entity.ts';
import type { Person } from '../keys/personal-data.sealer.ts';
import { ConsentRecord } from '../privacy-evidence/consent.entities.ts';
import { PrivacyRequest } from './privacy-request.entity.ts';

export const SUBJECT_EXPORT_FORMAT = 'enclave-subject-export/v1';
const ANOTHER_USER = 'another-user';

export interface SubjectRef {
  readonly tenantId: string;
  readonly userId: string;
}

/** The subject's projects: those they created or submitted a job in. */
export async function subjectProjectIds(em: EntityManager, subject: SubjectRef): Promise<string[]> {
  const created = await em.find(Project, { tenant: subject.tenantId, createdBy: subject.userId });
  const jobs = await em.find(Job, { tenant: subject.tenantId, createdBy: subject.userId });
  return [...new Set([...created.map((p) => p.id), ...jobs.map((j) => j.project.id)])].sort();
}

/** `person`: the subject's sealed email and name, opened by the caller (PersonalDataSealer.view). */
export async function buildSubjectExport(
  em: EntityManager,
  subject: SubjectRef,
  person: Person,
  at: Date,
): Promise<{ document: JsonValue; bytes: Buffer }> {
  const user = await em.findOneOrFail(User, { id: subject.userId, tenant: subject.tenantId });
  const otherUsers = new Set(
    (await em.find(User, { tenant: subject.tenantId, id: { $ne: subject.userId } })).map((u) => u.id),
  );
  const who = (id: string | null | undefined): string | null =>
    id == null ? null : id === subject.userId ? id : ANOTHER_USER;
  const projectIds = await subjectProjectIds(em, subject);
  const projects = await em.find(
    Project,
    { tenant: subject.tenantId, id: { $in: projectIds } },
    { orderBy: { id: 'asc' } },
  );
  const jobs = await em.find(
    Job,
    { tenant: subject.tenantId, project: { $in: projectIds } },
    { orderBy: { id: 'asc' } },
  );
  const assets = await em.find(
    Asset,
    { tenant: subject.tenantId, project: { $in: projectIds } },
    { orderBy: { id: 'asc' } },
  );
  const sessions = await em.find(Session, { user: subject.userId }, { orderBy: { createdAt: 'asc' } });
  const tokens = await em.find(ApiToken, { user: subject.userId }, { orderBy: { createdAt: 'asc' } });
  const requests = await em.find(
    PrivacyRequest,
    { tenant: subject.tenantId, subjectUserId: subject.userId },
    { orderBy: { createdAt: 'asc' } },
  );
  const consent = await em.find(
    ConsentRecord,
    { tenant: subject.tenantId, userId: subject.userId },
    { orderBy: { recordedAt: 'asc', id: 'asc' } },
  );
  const actor = `user:${subject.userId}`;
  const audit = (
    await em.find(AuditEntryRecord, { tenantId: subject.tenantId }, { orderBy: { seq: 'asc' } })
  ).filter((e) => e.actor === actor || e.targets.includes(subject.userId));
  const document: JsonValue = {
    format: SUBJECT_EXPORT_FORMAT,
    generatedAt: at.toISOString(),
    subject: {
      userId: user.id,
      tenantId: subject.tenantId,
      email: person.email,
      displayName: person.displayName,
      role: user.role,
      createdAt: user.createdAt.toISOString(),
      adultAttestedAt: user.adultAttestedAt?.toISOString() ?? null,
      disabled: user.disabled,
      failedLogins: user.failedLogins,
      lockedUntil: user.lockedUntil?.toISOString() ?? null,
    },
    sessions: sessions.map((s) => ({
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
    })),
    apiTokens: tokens.map((t) => ({
      tokenId: t.id,
      name: t.name,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      revokedAt: t.revokedAt?.toISOString() ?? null,
    })),
    projects: projects.map((p) => ({
      projectId: p.id,
      name: p.name,
      state: p.state,
      createdBy: who(p.createdBy?.id),
      createdAt: p.createdAt.toISOString(),
      completedAt: p.completedAt?.toISOString() ?? null,
    })),
    jobs: jobs.map((j) => ({
      jobId: j.id,
      projectId: j.project.id,
      templateId: j.templateId,
      title: j.title,
      state: j.state,
      submittedAt: new Date(j.submittedAtMs).toISOString(),
      createdBy: who(j.createdBy?.id),
    })),
    assets: assets.map((a) => ({
      assetId: a.id,
      projectId: a.project.id,
      name: a.name,
      mediaType: a.mediaType,
      sizeBytes: a.sizeBytes,
      createdAt: a.createdAt.toISOString(),
      state: a.state,
    })),
    auditEntries: audit.map((e) => ({
      seq: e.seq,
      time: e.time,
      actor: e.actor === actor ? e.actor : e.actor.startsWith('user:') ? ANOTHER_USER : e.actor,
      action: e.action,
      targets: e.targets.map((t) => (otherUsers.has(t) ? ANOTHER_USER : t)),
      detailsSealed: e.details !== null && e.details !== undefined,
    })),
    privacyRequests: requests.map((r) => ({
      requestId: r.id,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      deadlineAt: r.deadlineAt.toISOString(),
      history: r.history.map((h) => ({ ...h, by: h.by === actor ? h.by : ANOTHER_USER })),
    })),
    /** The subject's consent records (privacy-evidence), oldest first: what was shown and chosen. */
    consent: consent.map((c) => ({
      consentId: c.id,
      noticeId: c.noticeId,
      noticeVersion: c.noticeVersion,
      shownTextSha256: c.shownTextSha256,
      choices: {
        essential: true,
        analytics: c.analytics,
        personalisation: c.personalisation,
        marketing: c.marketing,
      },
      recordedAt: c.recordedAt.toISOString(),
    })),
  };
  return { document, bytes: Buffer.from(canonicalJson(document), 'utf8') };
}
