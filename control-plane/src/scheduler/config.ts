// Scheduler tunables. Validated once when the state is created (a bad value is a start-up
// error naming the field), then frozen; nothing reads them from the environment here.
import { ErrorCode, ContractError, type FieldIssue } from '@enclave/contracts';

export interface SchedulerConfig {
  /** Lease length of an assignment; the agent renews it in every heartbeat. */
  readonly leaseMs: number;
  /** Faulty attempts (soft failure, lease expiry, node loss) before the task, and so its job, fails. */
  readonly maxAttempts: number;
  /** First back-off after a soft failure; doubles per faulty attempt up to the cap. */
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** Faults of one job's tasks on one node after which that node is blocklisted for the job. */
  readonly blocklistAfterFailures: number;
  /** A node silent for this long is lost: its work is requeued. */
  readonly nodeLostAfterMs: number;
  /**
   * A running task missing from a heartbeat is only declared lost once it was accepted at least
   * this long ago: heartbeats and results travel on different topics and may overtake each other.
   */
  readonly missingLeaseGraceMs: number;
  /**
   * How long capacity of an assignment we cancelled or superseded stays held, unless the node
   * confirms sooner (by a heartbeat that no longer lists it) that the run has stopped.
   */
  readonly cancelGraceMs: number;
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = Object.freeze({
  leaseMs: 60_000,
  maxAttempts: 5,
  backoffBaseMs: 5_000,
  backoffCapMs: 300_000,
  blocklistAfterFailures: 3,
  nodeLostAfterMs: 30_000,
  missingLeaseGraceMs: 10_000,
  cancelGraceMs: 60_000,
});

const positive: readonly (keyof SchedulerConfig)[] = [
  'leaseMs',
  'maxAttempts',
  'blocklistAfterFailures',
  'nodeLostAfterMs',
];

export function resolveConfig(overrides: Partial<SchedulerConfig> = {}): SchedulerConfig {
  const config: SchedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG, ...overrides };
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(config) as [keyof SchedulerConfig, number][]) {
    if (!Number.isSafeInteger(value) || value < 0)
      issues.push({ path: key, message: 'must be a whole number ≥ 0' });
    else if (value === 0 && positive.includes(key)) issues.push({ path: key, message: 'must be at least 1' });
  }
  if (config.backoffCapMs < config.backoffBaseMs) {
    issues.push({ path: 'backoffCapMs', message: 'must not be below backoffBaseMs' });
  }
  if (issues.length > 0) {
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `Invalid scheduler configuration: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return Object.freeze(config);
}
