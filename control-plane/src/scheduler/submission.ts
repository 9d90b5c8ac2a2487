// Job submission, idempotent by (tenant, idempotency key). A client that retries after a
// timeout must not get two renders: the same key with the same content returns the first job
// (created: false); the same key with different content is a CONFLICT, because silently
// returning the old job would hide that the client changed its request.
import { createHash } from 'node:crypto';
import { canonicalJson, type EntityId, type FieldIssue } from '@enclave/contracts';
import { dagIssues } from './dag.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { enqueueReady } from './ready-queue.ts';
import { isEntityId, normalRequirements } from './requirements.ts';
import { isTerminalJob } from './scheduler-state.ts';
import { shapeOf, tenantOf } from './tenant-queues.ts';
import type { JobRecord, SchedulerState, TaskRecord } from './scheduler-state.ts';
import {
  JobState,
  TaskState,
  type JobSubmission,
  type SubmitResult,
  type TaskRequirements,
  type TaskSpec,
} from './types.ts';

export const MAX_TASKS_PER_JOB = 10_000;
const MAX_KEY_LENGTH = 200;
const NO_TASKS: TaskRecord[] = [];

interface NormalJob {
  readonly requirements: TaskRequirements[];
  readonly deps: string[][];
  readonly fingerprint: string;
}

function idempotencySlot(tenantId: EntityId, key: string): string {
  return `${tenantId}\n${key}`;
}

/**
 * The fingerprint covers what the job does, not the ids the caller minted for it: a retry that
 * mints fresh job and task ids is still the same request. Deps are written as positions.
 */
function normalise(submission: JobSubmission): NormalJob {
  const issues: FieldIssue[] = [];
  if (!isEntityId(submission.jobId))
    issues.push({ path: 'jobId', message: 'must be an id (letters, digits, _ -)' });
  if (!isEntityId(submission.tenantId))
    issues.push({ path: 'tenantId', message: 'must be an id (letters, digits, _ -)' });
  const { priority, idempotencyKey } = submission;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 100) {
    issues.push({ path: 'priority', message: 'must be a whole number 0-100' });
  }
  if (
    typeof idempotencyKey !== 'string' ||
    idempotencyKey.length === 0 ||
    idempotencyKey.length > MAX_KEY_LENGTH
  ) {
    issues.push({ path: 'idempotencyKey', message: `must be 1-${MAX_KEY_LENGTH} characters` });
  }
  const tasks: readonly TaskSpec[] = Array.isArray(submission.tasks)
    ? (submission.tasks as readonly TaskSpec[])
    : [];
  if (tasks.length === 0 || tasks.length > MAX_TASKS_PER_JOB) {
    issues.push({ path: 'tasks', message: `must list 1-${MAX_TASKS_PER_JOB} tasks` });
  }
  const ids = new Set<string>();
  tasks.forEach((task, index) => {
    if (!isEntityId(task.taskId)) issues.push({ path: `tasks[${index}].taskId`, message: 'must be an id' });
    else if (ids.has(task.taskId))
      issues.push({ path: `tasks[${index}].taskId`, message: 'used twice in this job' });
    ids.add(task.taskId);
  });
  const requirements = tasks.map((task, index) =>
    normalRequirements(task.requirements, `tasks[${index}].requirements`, issues),
  );
  const deps = tasks.map((task) => [...(task.deps ?? [])]);
  if (issues.length === 0)
    issues.push(...dagIssues(tasks.map((task, index) => ({ taskId: task.taskId, deps: deps[index]! }))));
  if (issues.length > 0) throw invalid('job submission', issues);
  const position = new Map(tasks.map((task, index) => [task.taskId, index]));
  // Hashed: the canonical text of a big job runs to kilobytes, and a fingerprint is kept per
  // job (and persisted with it). SHA-256 makes a false "same request" practically impossible.
  const canonical = canonicalJson({
    tenantId: submission.tenantId,
    priority,
    tasks: tasks.map((_, index) => ({
      deps: deps[index]!.map((dep) => position.get(dep)!).sort((a, b) => a - b),
      req: { ...requirements[index]!, tags: [...requirements[index]!.tags] },
    })),
  });
  const fingerprint = createHash('sha256').update(canonical).digest('base64url');
  return { requirements, deps, fingerprint };
}

export function submitJob(state: SchedulerState, submission: JobSubmission, now: number): SubmitResult {
  const normal = normalise(submission);
  const slot = idempotencySlot(submission.tenantId, submission.idempotencyKey);
  const existing = state.idempotency.get(slot);
  if (existing !== undefined) {
    if (existing.fingerprint === normal.fingerprint)
      return { jobId: existing.id, created: false, events: [] };
    throw conflict(
      `Idempotency key already used for job ${existing.id} with different content; use a new key for a new job.`,
      [{ path: 'idempotencyKey', message: 'reused with a different request' }],
    );
  }
  if (state.jobs.has(submission.jobId)) {
    throw conflict('A job with this id already exists; mint a new job id.', [
      { path: 'jobId', message: 'taken' },
    ]);
  }
  submission.tasks.forEach((task, index) => {
    if (state.tasks.has(task.taskId)) {
      throw conflict('A task with this id already exists; mint new task ids.', [
        { path: `tasks[${index}].taskId`, message: 'taken' },
      ]);
    }
  });

  const job = buildJob(
    state,
    {
      id: submission.jobId,
      tenantId: submission.tenantId,
      priority: submission.priority,
      seq: ++state.jobSeq,
      idempotencyKey: submission.idempotencyKey,
      fingerprint: normal.fingerprint,
      submittedAt: now,
    },
    submission.tasks.map((spec, ordinal) => ({
      taskId: spec.taskId,
      deps: normal.deps[ordinal]!,
      requirements: normal.requirements[ordinal]!,
    })),
    now,
  );
  for (const task of job.tasks) if (task.pendingDeps === 0) enqueueReady(state, task, now);
  const tenant = job.tenant;
  return {
    jobId: job.id,
    created: true,
    events: [{ type: 'job-submitted', jobId: job.id, tenantId: tenant.id }],
  };
}

/**
 * Drops a finished job and frees its idempotency key: the persistence layer calls this when it
 * archives the job, so memory follows the live workload rather than history.
 */
export function forgetJob(state: SchedulerState, jobId: EntityId): void {
  const job = state.jobs.get(jobId);
  if (job === undefined) throw notFound('job', jobId, 'it may have been forgotten already.');
  if (!isTerminalJob(job.state)) throw conflict('Only a finished job can be forgotten; cancel it first.');
  for (const task of job.tasks) state.tasks.delete(task.id);
  state.jobs.delete(job.id);
  state.idempotency.delete(idempotencySlot(job.tenant.id, job.idempotencyKey));
}

export interface JobFields {
  readonly id: EntityId;
  readonly tenantId: EntityId;
  readonly priority: number;
  readonly seq: number;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly submittedAt: number;
}

export interface TaskFields {
  readonly taskId: EntityId;
  readonly deps: readonly EntityId[];
  readonly requirements: TaskRequirements;
}

/**
 * Creates a job's records, links deps both ways and registers everything in the state's maps;
 * tasks start queued at epoch 1 and are not yet in any queue (the caller enqueues). Shared by
 * submission and by restoring a snapshot. Ids must be free and deps must form a DAG.
 */
export function buildJob(
  state: SchedulerState,
  fields: JobFields,
  specs: readonly TaskFields[],
  now: number,
): JobRecord {
  const tenant = tenantOf(state, fields.tenantId);
  const job: JobRecord = {
    id: fields.id,
    tenant,
    priority: fields.priority,
    seq: fields.seq,
    idempotencyKey: fields.idempotencyKey,
    fingerprint: fields.fingerprint,
    submittedAt: fields.submittedAt,
    state: JobState.Queued,
    tasks: [],
    unfinished: specs.length,
    faults: null,
  };
  const byId = new Map<string, TaskRecord>();
  specs.forEach((spec, ordinal) => {
    const shape = shapeOf(tenant, spec.requirements);
    const task: TaskRecord = {
      id: spec.taskId,
      job,
      ordinal,
      priority: job.priority,
      seq: job.seq,
      // Shared with every task of the shape: 100k tasks need not carry 100k copies.
      requirements: shape.requirements,
      shape,
      deps: NO_TASKS,
      dependents: NO_TASKS,
      state: TaskState.Queued,
      epoch: 1,
      attempts: 0,
      failures: 0,
      pendingDeps: 0,
      notBefore: now,
      assignment: null,
      excludedNode: null,
      progress: null,
      lastFailure: null,
      heapIndex: -1,
    };
    job.tasks.push(task);
    byId.set(task.id, task);
  });
  for (const task of job.tasks) {
    const depIds = specs[task.ordinal]!.deps;
    if (depIds.length === 0) continue;
    const deps = depIds.map((id) => byId.get(id)!);
    task.deps = deps;
    task.pendingDeps = deps.length;
    for (const dep of deps) {
      if (dep.dependents === NO_TASKS) dep.dependents = [];
      dep.dependents.push(task);
    }
  }
  state.jobs.set(job.id, job);
  state.idempotency.set(idempotencySlot(tenant.id, job.idempotencyKey), job);
  for (const task of job.tasks) state.tasks.set(task.id, task);
  return job;
}
