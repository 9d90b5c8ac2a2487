// The IT fleet screen's pure figures: how close a node's certificate is to its expiry, the queue
// (running first, then by priority and age), and each project's share of running and queued work,
// all computed client-side from what listNodes and listJobs return.
import type { JobSummary } from '@enclave/contracts';

/**
 * Node certificates live 24 hours and the agent renews at about two thirds of the life, so a
 * healthy node always has more than 8 hours left: less means renewal is failing (the node drops
 * off the broker at expiry). A 7-day line would flag every node all the time.
 */
export const CERT_SOON_MS = 8 * 3_600_000;
const HOUR_MS = 3_600_000;

export type CertificateUrgency = 'none' | 'ok' | 'soon' | 'expired';

export interface CertificateExpiry {
  readonly urgency: CertificateUrgency;
  /** Whole hours left (rounded down); null without a certificate or once expired. */
  readonly hoursLeft: number | null;
}

export function certificateExpiry(
  notAfter: string | null,
  nowMs: number,
  soonMs: number = CERT_SOON_MS,
): CertificateExpiry {
  if (notAfter === null) return { urgency: 'none', hoursLeft: null };
  const left = Date.parse(notAfter) - nowMs;
  if (Number.isNaN(left)) return { urgency: 'none', hoursLeft: null };
  if (left <= 0) return { urgency: 'expired', hoursLeft: null };
  return { urgency: left < soonMs ? 'soon' : 'ok', hoursLeft: Math.floor(left / HOUR_MS) };
}

/** "in 5 h" under two days, "in 12 d" beyond: the unit an operator acts on. */
export function remainingText(hoursLeft: number): { unit: 'h' | 'd'; n: number } {
  return hoursLeft < 48 ? { unit: 'h', n: hoursLeft } : { unit: 'd', n: Math.floor(hoursLeft / 24) };
}

/** Queued and running jobs: running first, then higher priority, then first submitted. */
export function queueOrder(jobs: readonly JobSummary[]): JobSummary[] {
  const rank = (j: JobSummary) => (j.state === 'running' ? 0 : 1);
  return jobs
    .filter((j) => j.state === 'queued' || j.state === 'running')
    .sort(
      (a, b) =>
        rank(a) - rank(b) ||
        b.priority - a.priority ||
        Date.parse(a.submittedAt) - Date.parse(b.submittedAt) ||
        a.jobId.localeCompare(b.jobId),
    );
}

export interface FairShareRow {
  readonly projectId: string;
  readonly running: number;
  readonly queued: number;
  /** Whole percent of all running jobs; null when nothing runs. */
  readonly runningPct: number | null;
  /** Whole percent of all queued jobs; null when nothing waits. */
  readonly queuedPct: number | null;
  /** The highest priority among the project's queued jobs; null when none waits. */
  readonly topQueuedPriority: number | null;
}

/** Per project: running vs queued jobs and its share of each; most running first. */
export function fairShare(jobs: readonly JobSummary[]): FairShareRow[] {
  const counts = new Map<string, { running: number; queued: number; top: number | null }>();
  let running = 0;
  let queued = 0;
  for (const j of jobs) {
    if (j.state !== 'running' && j.state !== 'queued') continue;
    const row = counts.get(j.projectId) ?? { running: 0, queued: 0, top: null };
    if (j.state === 'running') {
      row.running += 1;
      running += 1;
    } else {
      row.queued += 1;
      queued += 1;
      row.top = Math.max(row.top ?? 0, j.priority);
    }
    counts.set(j.projectId, row);
  }
  const pct = (n: number, total: number) => (total === 0 ? null : Math.round((n / total) * 100));
  return [...counts.entries()]
    .map(([projectId, c]) => ({
      projectId,
      running: c.running,
      queued: c.queued,
      runningPct: pct(c.running, running),
      queuedPct: pct(c.queued, queued),
      topQueuedPriority: c.top,
    }))
    .sort((a, b) => b.running - a.running || b.queued - a.queued || a.projectId.localeCompare(b.projectId));
}
