// Restriction and objection (privacy policy §10, PDPL): while a request of either kind is in
// effect for a data subject, no NEW job may be submitted on a project linked to that subject —
// 409 PROCESSING_RESTRICTED, naming the request. A project is linked to a subject when the subject created it
// (`project.createdBy`) or submitted a job in it (`job.createdBy`): those are the projects whose
// data is theirs. Jobs already queued or running are cancelled when the request takes effect
// (SubjectProcessingStopper).
// Lifting the request (POST .../lift) re-enables processing at once.
import { ContractError, ErrorCode, PrivacyRequestKind, PrivacyRequestStatus } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { Job } from '../database/entities/job.entity.ts';
import { Project } from '../database/entities/project.entity.ts';
import { ProcessingGate, type ProcessingRequest } from '../jobs/processing-gate.ts';
import { PrivacyRequest } from './privacy-request.entity.ts';

@Injectable()
export class RestrictionProcessingGate extends ProcessingGate {
  constructor(private readonly orm: MikroORM) {
    super();
  }

  async assertMayProcess(request: ProcessingRequest): Promise<void> {
    const em = this.orm.em.fork();
    const tenantId = request.caller.tenantId;
    const restrictions = await em.find(PrivacyRequest, {
      tenant: tenantId,
      kind: { $in: [PrivacyRequestKind.Restriction, PrivacyRequestKind.Objection] },
      status: PrivacyRequestStatus.InEffect,
    });
    if (restrictions.length === 0) return;
    const subjects = new Set(await linkedSubjects(em, tenantId, request.projectId));
    const hit = restrictions.find((r) => subjects.has(r.subjectUserId));
    if (hit === undefined) return;
    throw new ContractError(
      ErrorCode.PROCESSING_RESTRICTED,
      `Processing of this project is restricted: a data subject linked to it has a ${hit.kind} request in effect (${hit.id}). ` +
        'No new jobs can run on it until the data-protection officer lifts the request.',
    );
  }
}

/** The users a project is linked to: its creator and whoever submitted a job in it. */
export async function linkedSubjects(
  em: ReturnType<MikroORM['em']['fork']>,
  tenantId: string,
  projectId: string,
): Promise<string[]> {
  const project = await em.findOne(Project, { id: projectId, tenant: tenantId });
  const ids: string[] = [];
  if (project?.createdBy) ids.push(project.createdBy.id);
  const jobs = await em.find(Job, { tenant: tenantId, project: projectId, createdBy: { $ne: null } });
  for (const job of jobs) if (job.createdBy) ids.push(job.createdBy.id);
  return ids;
}
