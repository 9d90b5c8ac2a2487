// What nodes report about their assignments (results.<node>), applied in the inbox transaction:
// accepted, progress, succeeded (with the outputs it uploaded), failed. Each report carries the
// epoch it was made under; the scheduler applies only the current epoch from the node the task
// is on. Everything else is dropped — logged with ids only and counted — and changes nothing.
import type { EnvelopeOf } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { reconcileOutputs } from '../assets/task-outputs.ts';
import { Task } from '../database/entities/task.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import type { ReportOutcome, Scheduler, SchedulerEvent } from '../scheduler/index.ts';
import type { HistoryNote } from '../scheduling/job-history.writer.ts';
import { SchedulerService, type CommandOutcome } from '../scheduling/scheduler.service.ts';

type ReportType = 'task.accepted' | 'task.progress' | 'task.succeeded' | 'task.failed';

export interface ReportStats {
  applied: number;
  staleEpochDropped: number;
  ignored: number;
  unknown: number;
}

@Injectable()
export class TaskReportsService {
  readonly stats: ReportStats = { applied: 0, staleEpochDropped: 0, ignored: 0, unknown: 0 };

  constructor(
    private readonly scheduler: SchedulerService,
    private readonly log: AppLogger,
  ) {}

  onAccepted(em: EntityManager, m: EnvelopeOf<'task.accepted'>): Promise<void> {
    return this.#apply(em, m, (s) => s.onAccepted(ref(m)));
  }

  onProgress(em: EntityManager, m: EnvelopeOf<'task.progress'>): Promise<void> {
    const note: HistoryNote = {
      jobId: m.body.jobId,
      taskId: m.body.taskId,
      epoch: m.body.epoch,
      nodeId: m.nodeId,
      progress: m.body.fraction,
      stage: m.body.stage,
    };
    return this.#apply(em, m, (s) => s.onProgress({ ...ref(m), fraction: m.body.fraction }), [note]);
  }

  onSucceeded(em: EntityManager, m: EnvelopeOf<'task.succeeded'>): Promise<void> {
    return this.#apply(
      em,
      m,
      (s) => s.onSucceeded(ref(m)),
      [],
      async () => {
        const task = await em.findOneOrFail(Task, { id: m.body.taskId });
        // Outputs the node stored through PUT /agent/v1/tasks/:taskId/outputs/:name get the
        // stored size and hash; a ref to another task's asset is dropped.
        const { outputs, dropped } = await reconcileOutputs(em, task.id, m.body.outputs);
        if (dropped.length > 0) {
          this.log.write('warn', 'Reported outputs name assets this task did not store', {
            taskId: task.id,
            nodeId: m.nodeId,
            assetIds: dropped,
          });
        }
        task.outputs = outputs;
      },
    );
  }

  onFailed(em: EntityManager, m: EnvelopeOf<'task.failed'>): Promise<void> {
    return this.#apply(em, m, (s) => s.onFailed({ ...ref(m), failure: m.body.failure, code: m.body.code }));
  }

  async #apply(
    em: EntityManager,
    m: EnvelopeOf<ReportType>,
    report: (scheduler: Scheduler) => ReportOutcome,
    notes: readonly HistoryNote[] = [],
    whenApplied?: () => Promise<void>,
  ): Promise<void> {
    const outcome = await this.scheduler.run(
      m.type,
      async ({ scheduler }): Promise<CommandOutcome<ReportOutcome>> => {
        const result = report(scheduler);
        if (result.status !== 'applied') return { value: result, events: [] };
        await whenApplied?.();
        const events: readonly SchedulerEvent[] = result.events;
        return { value: result, events, touched: { tasks: [m.body.taskId] }, notes };
      },
      { em },
    );
    this.#count(m, outcome);
  }

  #count(m: EnvelopeOf<ReportType>, outcome: ReportOutcome): void {
    const ids = {
      type: m.type,
      messageId: m.id,
      nodeId: m.nodeId,
      taskId: m.body.taskId,
      epoch: m.body.epoch,
    };
    switch (outcome.status) {
      case 'applied':
        this.stats.applied++;
        return;
      case 'stale-epoch-dropped':
        this.stats.staleEpochDropped++;
        this.log.write('info', 'Stale report dropped (superseded epoch)', {
          ...ids,
          currentEpoch: outcome.currentEpoch,
        });
        return;
      case 'ignored':
        this.stats.ignored++;
        this.log.write('debug', 'Report ignored', { ...ids, reason: outcome.reason });
        return;
      case 'unknown':
        this.stats.unknown++;
        this.log.write('info', 'Report for an unknown task dropped', ids);
        return;
    }
  }
}

function ref(m: EnvelopeOf<ReportType>) {
  return { nodeId: m.nodeId, taskId: m.body.taskId, epoch: m.body.epoch };
}
