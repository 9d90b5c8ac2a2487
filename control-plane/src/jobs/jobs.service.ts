// Reading jobs (list, detail with tasks, DAG and history), cancelling them, and the IT
// operator's per-job node blocklist. Reads come from the rows (a finished job is no longer in
// the scheduler's memory); changes are scheduler commands.
import { DEFAULT_SCHEDULER_CONFIG, type BlocklistView } from '../scheduler/index.ts';
import type { Blocklist, BlocklistEdit, JobDetail, JobSummary } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { UserCaller } from '../auth/caller.ts';
import { conflict, notFound } from '../common/errors.ts';
import type { JobRow } from '../database/entities/job.entity.ts';
import { SchedulerService } from '../scheduling/scheduler.service.ts';
import { jobDetail, jobSummary } from './job-views.ts';
import { JobsRepository } from './jobs.repository.ts';

const DEFAULT_PAGE = 100;

@Injectable()
export class JobsService {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly scheduler: SchedulerService,
  ) {}

  async list(
    caller: UserCaller,
    query: { projectId?: string; limit?: number; offset?: number },
  ): Promise<{ items: JobSummary[] }> {
    const rows = await this.jobs.list(caller.scope, {
      ...(query.projectId !== undefined ? { projectId: query.projectId } : {}),
      limit: query.limit ?? DEFAULT_PAGE,
      offset: query.offset ?? 0,
    });
    return { items: rows.map(jobSummary) };
  }

  async get(caller: UserCaller, jobId: string): Promise<JobDetail> {
    const row = await this.#find(caller, jobId);
    const [tasks, history] = await Promise.all([
      this.jobs.tasks(caller.scope, jobId),
      this.jobs.history(caller.scope, jobId, { withProgress: false }),
    ]);
    return jobDetail(row, tasks, history);
  }

  async cancel(caller: UserCaller, jobId: string): Promise<JobDetail> {
    await this.#find(caller, jobId);
    await this.scheduler.run('cancel-job', ({ scheduler }) => {
      // A finished job has left the scheduler's memory: cancelling it changes nothing.
      if (scheduler.getJob(jobId) === undefined) return { value: undefined, events: [] };
      return { value: undefined, events: scheduler.cancelJob(jobId).events };
    });
    return this.get(caller, jobId);
  }

  async blocklist(caller: UserCaller, jobId: string): Promise<Blocklist> {
    const live = this.scheduler.scheduler.getJob(jobId);
    const row = await this.#find(caller, jobId);
    if (live !== undefined) return toBlocklist(this.scheduler.scheduler.getBlocklist(jobId));
    return {
      jobId,
      blocked: [...row.blockedNodes].sort(),
      failures: Object.fromEntries(row.faultCounts),
      threshold: DEFAULT_SCHEDULER_CONFIG.blocklistAfterFailures,
    };
  }

  async editBlocklist(caller: UserCaller, jobId: string, edit: BlocklistEdit): Promise<Blocklist> {
    await this.#find(caller, jobId);
    const view = await this.scheduler.run('edit-blocklist', ({ scheduler }) => {
      if (scheduler.getJob(jobId) === undefined)
        throw conflict('This job has finished; its blocklist is final.');
      const result = scheduler.setBlocklist(jobId, {
        ...(edit.add !== undefined ? { add: edit.add } : {}),
        ...(edit.remove !== undefined ? { remove: edit.remove } : {}),
      });
      return { value: scheduler.getBlocklist(jobId), events: result.events, touched: { jobs: [jobId] } };
    });
    return toBlocklist(view);
  }

  async #find(caller: UserCaller, jobId: string): Promise<JobRow> {
    const row = await this.jobs.find(caller.scope, jobId);
    if (row === null) throw notFound('job');
    return row;
  }
}

function toBlocklist(view: BlocklistView): Blocklist {
  return {
    jobId: view.jobId,
    blocked: [...view.blocked],
    failures: { ...view.failures },
    threshold: view.threshold,
  };
}
