// The fleet screen's pure figures: certificate urgency around the 8-hour line and at expiry, the
// queue order (running, priority, age) and the per-project fair-share table; and the job
// blocklist form's body checked with the contract's own schema (every message has Arabic).
import type { JobSummary } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { blocklistEditBody } from '../../src/components/blocklist-edit.ts';
import {
  CERT_SOON_MS,
  certificateExpiry,
  fairShare,
  queueOrder,
  remainingText,
} from '../../src/components/fleet-figures.ts';
import { validationText } from '../../src/i18n/validation.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-11-29T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('certificateExpiry', () => {
  const HOUR = 3_600_000;
  it('is none without a certificate or with an unreadable date', () => {
    expect(certificateExpiry(null, now)).toEqual({ urgency: 'none', hoursLeft: null });
    expect(certificateExpiry('not a date', now)).toEqual({ urgency: 'none', hoursLeft: null });
  });
  it('is ok at 8 hours or more (a healthy 24 h certificate), soon below, expired at or after notAfter', () => {
    expect(CERT_SOON_MS).toBe(8 * HOUR);
    expect(certificateExpiry(iso(now + 24 * HOUR), now)).toEqual({ urgency: 'ok', hoursLeft: 24 });
    expect(certificateExpiry(iso(now + 8 * HOUR), now)).toEqual({ urgency: 'ok', hoursLeft: 8 });
    expect(certificateExpiry(iso(now + 8 * HOUR - 1), now)).toEqual({ urgency: 'soon', hoursLeft: 7 });
    expect(certificateExpiry(iso(now + HOUR / 2), now)).toEqual({ urgency: 'soon', hoursLeft: 0 });
    expect(certificateExpiry(iso(now), now)).toEqual({ urgency: 'expired', hoursLeft: null });
    expect(certificateExpiry(iso(now - 3 * DAY), now)).toEqual({ urgency: 'expired', hoursLeft: null });
  });
  it('takes another line when given (a 7-day line for long-lived certificates)', () => {
    expect(certificateExpiry(iso(now + 6 * DAY), now, 7 * DAY).urgency).toBe('soon');
    expect(certificateExpiry(iso(now + 7 * DAY), now, 7 * DAY).urgency).toBe('ok');
  });
});

describe('remainingText', () => {
  it('counts hours under two days and whole days beyond', () => {
    expect(remainingText(0)).toEqual({ unit: 'h', n: 0 });
    expect(remainingText(47)).toEqual({ unit: 'h', n: 47 });
    expect(remainingText(48)).toEqual({ unit: 'd', n: 2 });
    expect(remainingText(24 * 30 + 23)).toEqual({ unit: 'd', n: 30 });
  });
});

let seq = 0;
function job(projectId: string, state: JobSummary['state'], priority: number, submittedAt = now): JobSummary {
  seq += 1;
  return {
    jobId: `job-${String(seq).padStart(3, '0')}`,
    projectId,
    template: { id: 'promo-video', version: 1 },
    title: `Job ${seq}`,
    state,
    priority,
    idempotencyKey: `k-${seq}`,
    submittedAt: iso(submittedAt),
  };
}

describe('queueOrder', () => {
  it('keeps only queued and running jobs: running first, then higher priority, then older', () => {
    const oldLow = job('p1', 'queued', 10, now - 2 * DAY);
    const newHigh = job('p2', 'queued', 90, now);
    const oldHigh = job('p1', 'queued', 90, now - DAY);
    const running = job('p2', 'running', 5);
    const done = job('p1', 'succeeded', 100);
    const order = queueOrder([oldLow, newHigh, done, oldHigh, running]).map((j) => j.jobId);
    expect(order).toEqual([running.jobId, oldHigh.jobId, newHigh.jobId, oldLow.jobId]);
  });
});

describe('fairShare', () => {
  it('is empty when nothing runs or waits', () => {
    expect(fairShare([job('p1', 'failed', 50), job('p1', 'cancelled', 50)])).toEqual([]);
  });
  it("gives each project's running and queued counts and whole-percent shares, most running first", () => {
    const rows = fairShare([
      job('p1', 'running', 50),
      job('p2', 'running', 50),
      job('p2', 'running', 50),
      job('p1', 'queued', 20),
      job('p1', 'queued', 70),
      job('p3', 'queued', 40),
      job('p3', 'succeeded', 99),
    ]);
    expect(rows).toEqual([
      { projectId: 'p2', running: 2, queued: 0, runningPct: 67, queuedPct: 0, topQueuedPriority: null },
      { projectId: 'p1', running: 1, queued: 2, runningPct: 33, queuedPct: 67, topQueuedPriority: 70 },
      { projectId: 'p3', running: 0, queued: 1, runningPct: 0, queuedPct: 33, topQueuedPriority: 40 },
    ]);
  });
  it('has null shares for a side with nothing in it', () => {
    expect(fairShare([job('p1', 'queued', 0)])).toEqual([
      { projectId: 'p1', running: 0, queued: 1, runningPct: null, queuedPct: 100, topQueuedPriority: 0 },
    ]);
  });
});

describe('blocklistEditBody', () => {
  it('builds an add or remove body with the trimmed node id', () => {
    expect(blocklistEditBody('add', ' gpu-01 ')).toEqual({ ok: true, body: { add: ['gpu-01'] } });
    expect(blocklistEditBody('remove', 'gpu-02')).toEqual({ ok: true, body: { remove: ['gpu-02'] } });
  });
  it("refuses a bad node id with the contract's message, which has Arabic", () => {
    for (const bad of ['', 'GPU_01', '-gpu', 'a'.repeat(56)]) {
      const result = blocklistEditBody('add', bad);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.message).toMatch(/lower-case letters/);
      expect(validationText(result.message, 'ar')).not.toBe(result.message);
    }
  });
});
