// Deadline reminders for data-subject requests (issue #7 item 1): an open request a week and a
// day before its deadline, and once overdue, gets one `privacy.deadline-reminder` audit entry
// (actor `system`, the threshold and deadline sealed) and one log line naming only ids. Which
// thresholds were reminded is stored on the row in the same transaction as the audit entry, so
// each fires exactly once across sweeps and restarts. Hourly, like the retention sweep.
import { AuditAction } from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.service.ts';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { reminderDue, type ReminderThreshold } from './deadline-reminder.policy.ts';
import { PrivacyRequest } from './privacy-request.entity.ts';
import { isOpen } from './privacy-views.ts';

const EVERY_MS = 3_600_000;

export interface Reminder {
  readonly requestId: string;
  readonly tenantId: string;
  readonly threshold: ReminderThreshold;
}

@Injectable()
export class DeadlineReminders implements OnApplicationBootstrap {
  /** The timer's run and an on-demand one (tests) must not remind the same threshold twice. */
  readonly #running = new AsyncMutex();

  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditTrail,
    private readonly timers: IntervalTimers,
    private readonly clock: Clock,
    private readonly log: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(
      EVERY_MS,
      async () => {
        await this.remind();
      },
      (error) => this.log.write('error', 'Privacy deadline reminders failed', { error: String(error) }),
    );
  }

  /** Every reminder due now, each recorded once; returns what it reminded. */
  async remind(): Promise<Reminder[]> {
    const release = await this.#running.acquire();
    try {
      return await this.#remind();
    } finally {
      release();
    }
  }

  async #remind(): Promise<Reminder[]> {
    const now = this.clock.now();
    const em = this.orm.em.fork();
    const rows = (await em.find(PrivacyRequest, {}, { orderBy: { deadlineAt: 'asc', id: 'asc' } })).filter(
      isOpen,
    );
    const sent: Reminder[] = [];
    for (const row of rows) {
      const due = reminderDue(row.deadlineAt, now, row.remindersSent ?? []);
      if (due === null) continue;
      const reminder = { requestId: row.id, tenantId: row.tenant.id, threshold: due.threshold };
      await em.transactional(async (tx) => {
        const mine = await tx.findOneOrFail(PrivacyRequest, { id: row.id });
        mine.remindersSent = [...new Set([...(mine.remindersSent ?? []), ...due.reached])];
        await tx.flush();
        await this.audit.record(
          {
            actor: SYSTEM_ACTOR,
            tenantId: reminder.tenantId,
            action: AuditAction.PrivacyDeadlineReminder,
            targets: [row.id, row.subjectUserId],
            details: { threshold: due.threshold, kind: row.kind, deadlineAt: row.deadlineAt.toISOString() },
          },
          { em: tx },
        );
      });
      // Ids and the threshold only: the log never names the person.
      this.log.write(due.threshold === 'overdue' ? 'warn' : 'info', 'Privacy request deadline reminder', {
        requestId: row.id,
        tenantId: reminder.tenantId,
        kind: row.kind,
        threshold: due.threshold,
        deadlineAt: row.deadlineAt.toISOString(),
      });
      sent.push(reminder);
    }
    return sent;
  }
}
