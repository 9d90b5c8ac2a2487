// Deadline reminders for data-subject requests (issue #7 item 1), on a real control plane and
// SQLite file with a frozen clock: nothing 8 days before the deadline; one reminder at 7 days,
// one at 1 day, one once overdue — each an audit entry and a log line without personal data,
// each once, whatever the sweeps and a fresh service instance (as after a restart: the state
// is the row's, not memory). The DPO queue shows `dueSoon` and `overdue`. A finished request
// gets none.
import { AuditAction, PrivacyRequestListSchema, PrivacyRequestSchema } from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { AuditTrail } from '../../src/audit/audit-trail.service.ts';
import { DetailsSealer } from '../../src/audit/details-sealer.ts';
import { Clock } from '../../src/common/clock.ts';
import { IntervalTimers } from '../../src/common/interval-timers.ts';
import { AppLogger } from '../../src/logging/app-logger.ts';
import { reminderDue } from '../../src/privacy/deadline-reminder.policy.ts';
import { DeadlineReminders } from '../../src/privacy/deadline-reminders.service.ts';
import { PrivacyRequest } from '../../src/privacy/privacy-request.entity.ts';
import { bodyOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const clock = new ManualClock('2026-05-01T08:00:00.000Z');
const start = clock.now().getTime();
let t: TestAppliance;
let tenant: string;
let dpo: TestUser;
let subject: TestUser;
let open: string;
let finished: string;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('reminders');
  dpo = await t.createUser(tenant, 'dpo');
  subject = await t.createUser(tenant, 'client-user');
});
afterAll(() => t.stop());

const at = (ms: number) => clock.advance(start + ms - clock.now().getTime());
const reminders = () => t.running.app.get(DeadlineReminders).remind();
const thresholds = async () => (await reminders()).map((r) => [r.requestId, r.threshold]);

async function file(kind: string): Promise<string> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/requests',
    cookie: await t.login(dpo),
    body: { kind, subjectUserId: subject.userId },
  });
  return bodyOf(reply, PrivacyRequestSchema).requestId;
}

async function queued(requestId: string) {
  const list = bodyOf(
    await t.api({ path: '/api/v1/privacy/requests', cookie: await t.login(dpo) }),
    PrivacyRequestListSchema,
  );
  return list.items.find((r) => r.requestId === requestId)!;
}

describe('deadline reminders', () => {
  it('gives none while the deadline is more than 7 days away', async () => {
    open = await file('access');
    finished = await file('rectification');
    const rejected = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/requests/${finished}/reject`,
      cookie: await t.login(dpo),
      body: { notes: 'nothing to correct' },
    });
    expect(rejected.status, rejected.text).toBe(200);
    at(22 * DAY); // 8 days left
    expect(await thresholds()).toEqual([]);
    expect(await queued(open)).toMatchObject({ dueSoon: false, overdue: false });
  });

  it('reminds once at 7 days, once at 1 day and once overdue, across sweeps and a fresh service', async () => {
    at(23 * DAY + 12 * HOUR); // 6.5 days left
    expect(await thresholds()).toEqual([[open, '7-days']]);
    expect(await thresholds()).toEqual([]);
    expect(await queued(open)).toMatchObject({ dueSoon: true, overdue: false });

    // A new instance holds nothing in memory (as after a restart): the row says what was sent.
    const fresh = new DeadlineReminders(
      t.running.app.get(MikroORM),
      t.running.app.get(AuditTrail),
      t.running.app.get(IntervalTimers),
      t.running.app.get(Clock),
      t.running.app.get(AppLogger),
    );
    expect(await fresh.remind()).toEqual([]);

    at(29 * DAY + 12 * HOUR); // 12 hours left
    expect(await thresholds()).toEqual([[open, '1-day']]);
    expect(await fresh.remind()).toEqual([]);

    at(30 * DAY); // exactly the deadline: not yet overdue
    expect(await thresholds()).toEqual([]);
    at(30 * DAY + 1);
    expect(await thresholds()).toEqual([[open, 'overdue']]);
    expect(await thresholds()).toEqual([]);
    expect(await queued(open)).toMatchObject({ dueSoon: false, overdue: true });

    const row = await t.running.app.get(MikroORM).em.fork().findOneOrFail(PrivacyRequest, { id: open });
    expect(row.remindersSent).toEqual(['7-days', '1-day', 'overdue']);
  });

  it('records each as an audit entry and a log line that name no one', async () => {
    const entries = await t.running.app
      .get(MikroORM)
      .em.fork()
      .find(AuditEntryRecord, { action: AuditAction.PrivacyDeadlineReminder }, { orderBy: { seq: 'asc' } });
    expect(entries.map((e) => [e.actor, e.targets[0]])).toEqual([
      ['system', open],
      ['system', open],
      ['system', open],
    ]);
    expect(entries.some((e) => e.targets.includes(finished))).toBe(false);
    const sealer = t.running.app.get(DetailsSealer);
    const opened = await sealer.open(
      { tenantId: tenant, action: AuditAction.PrivacyDeadlineReminder },
      entries[2]!.details!,
    );
    expect(opened).toMatchObject({ threshold: 'overdue', kind: 'access' });

    const lines = t.logs.entries().filter((l) => l['msg'] === 'Privacy request deadline reminder');
    expect(lines.map((l) => l['threshold'])).toEqual(['7-days', '1-day', 'overdue']);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(subject.email);
    expect(text).not.toContain(subject.email.split('@')[0]);
  });

  it('only the most urgent threshold reached is reminded (the rule, pure)', () => {
    const deadline = new Date('2026-06-01T00:00:00.000Z');
    const halfDay = new Date(deadline.getTime() - 12 * HOUR);
    expect(reminderDue(deadline, halfDay, [])).toEqual({ threshold: '1-day', reached: ['7-days', '1-day'] });
    expect(reminderDue(deadline, halfDay, ['7-days', '1-day'])).toBeNull();
    expect(reminderDue(deadline, new Date(deadline.getTime() - 8 * DAY), [])).toBeNull();
    expect(reminderDue(deadline, new Date(deadline.getTime() + DAY), ['7-days'])).toEqual({
      threshold: 'overdue',
      reached: ['7-days', '1-day', 'overdue'],
    });
  });
});
