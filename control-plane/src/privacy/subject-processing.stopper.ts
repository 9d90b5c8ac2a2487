// Stopping the processing of a data subject's data (privacy policy §10: restriction, objection,
// erasure): every queued or running job on a project linked to the subject is cancelled through
// the scheduler's one cancel path — the job and its tasks end `cancelled` in the books at once,
// and each running attempt gets a task.cancel on its node's jobs topic carrying its epoch (so a
// late result is fenced off as stale). The query runs inside the scheduler command, under the
// scheduler lock, so a submission committed before it is seen and cancelled too.
import { AuditAction, CancelReason } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import { Job } from '../database/entities/job.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { JobState } from '../scheduler/index.ts';
import { SchedulerService } from '../scheduling/scheduler.service.ts';
import { subjectProjectIds, type SubjectRef } from './subject-export.builder.ts';

export type StopReason = typeof CancelReason.Restriction | typeof CancelReason.Erasure;

const UNFINISHED: readonly string[] = [JobState.Queued, JobState.Running];

@Injectable()
export class SubjectProcessingStopper {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly audit: AuditTrail,
    private readonly log: AppLogger,
  ) {}

  /** Cancels the subject's unfinished jobs; returns their ids (sorted). */
  async stop(
    requestId: string,
    subject: SubjectRef,
    reason: StopReason,
    byUserId: string,
  ): Promise<string[]> {
    const cancelled = await this.scheduler.run('privacy-stop', async ({ scheduler, em }) => {
      const projectIds = await subjectProjectIds(em, subject);
      if (projectIds.length === 0) return { value: [] as string[], events: [] };
      const jobs = await em.find(Job, {
        tenant: subject.tenantId,
        project: { $in: projectIds },
        state: { $in: [...UNFINISHED] as JobState[] },
      });
      const ids: string[] = [];
      const events = [];
      for (const job of jobs) {
        // A job the scheduler no longer holds has finished since the query; nothing to stop.
        if (scheduler.getJob(job.id) === undefined) continue;
        const result = scheduler.cancelJob(job.id, reason);
        if (result.changed) ids.push(job.id);
        events.push(...result.events);
      }
      return { value: ids.sort(), events, touched: { jobs: ids } };
    });
    if (cancelled.length > 0) {
      await this.audit.record({
        actor: userActor(byUserId),
        tenantId: subject.tenantId,
        action: AuditAction.PrivacyJobsCancelled,
        targets: [requestId, ...cancelled].slice(0, 100),
        details: { reason, jobIds: cancelled },
        subjectId: subject.userId,
      });
      this.log.write('info', 'Processing stopped for a data subject', {
        requestId,
        reason,
        cancelledJobs: cancelled.length,
      });
    }
    return cancelled;
  }
}
