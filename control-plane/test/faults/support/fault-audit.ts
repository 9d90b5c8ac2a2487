// What a fault run is judged by, read after the last restart from the two places that matter:
// the SQLite file (the jobs and tasks the control plane committed) and the node topics on the
// broker (every task.assign it published, read back with read_committed). Assignments are
// counted per (task, epoch): each must be on Kafka exactly once.
import { decodeFromTopic, jobsTopic } from '@enclave/contracts';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { controlPlaneKafka } from '../../messaging-support/kafka-context.ts';
import { readTopic } from '../../messaging-support/kafka-test-clients.ts';
import type { Submission } from './submission-clients.ts';

export interface JobRowView {
  readonly id: string;
  readonly key: string;
  readonly state: string;
}

export interface TaskRowView {
  readonly id: string;
  readonly jobId: string;
  readonly epoch: number;
  readonly state: string;
}

/** Reads the committed jobs and tasks of a tenant (read-only; the control plane may be running). */
export function readJobRows(dataDir: string, tenantId: string): { jobs: JobRowView[]; tasks: TaskRowView[] } {
  const db = new DatabaseSync(join(dataDir, 'enclave.db'), { readOnly: true });
  try {
    const jobs = db
      .prepare('select id, idempotency_key as key, state from job where tenant_id = ?')
      .all(tenantId) as unknown as JobRowView[];
    const tasks = db
      .prepare('select id, job_id as jobId, epoch, state from task where tenant_id = ?')
      .all(tenantId) as unknown as TaskRowView[];
    return { jobs, tasks };
  } finally {
    db.close();
  }
}

/**
 * Every committed task.assign on the nodes' jobs topics, counted per `<taskId>#<epoch>`.
 * `kafka`: the broker to read, the shared one unless the fault brings its own.
 */
export async function countAssignments(
  nodeIds: readonly string[],
  kafka: ReturnType<typeof controlPlaneKafka> = controlPlaneKafka('cp-fault-audit'),
): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for (const nodeId of nodeIds) {
    const { records } = await readTopic(kafka, jobsTopic(nodeId), 60_000);
    for (const record of records) {
      const message = decodeFromTopic(record.topic, record.value);
      if (message.type !== 'task.assign') continue;
      const id = `${message.body.taskId}#${message.body.epoch}`;
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
  }
  return copies;
}

export interface FaultVerdict {
  /** Acknowledged keys whose job is not in the database (or is another job than the one acknowledged). */
  readonly lost: string[];
  /** Keys with more than one job (answered or stored), and assignments on Kafka more than once. */
  readonly duplicated: string[];
  /** Jobs stored under keys no client acknowledged (a submission that was never answered). */
  readonly unacknowledgedStored: string[];
  /** Tasks whose current epoch has no task.assign on Kafka, and assignments of unknown tasks. */
  readonly missingAssignments: string[];
  readonly strayAssignments: string[];
  readonly assignmentsOnKafka: number;
  /** Tasks assigned more than once (requeued at a higher epoch): allowed, each epoch once. */
  readonly reassignedTasks: number;
}

export function judge(
  submissions: readonly Submission[],
  rows: { jobs: readonly JobRowView[]; tasks: readonly TaskRowView[] },
  assignments: ReadonlyMap<string, number>,
): FaultVerdict {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const byKey = new Map<string, JobRowView[]>();
  for (const job of rows.jobs) byKey.set(job.key, [...(byKey.get(job.key) ?? []), job]);
  const acknowledgedKeys = new Set<string>();
  for (const s of submissions) {
    if (s.jobIds.size === 0) continue;
    acknowledgedKeys.add(s.key);
    const stored = byKey.get(s.key) ?? [];
    if (s.jobIds.size > 1 || stored.length > 1) duplicated.push(`key ${s.key}: ${[...s.jobIds].join(', ')}`);
    const [acknowledged] = [...s.jobIds];
    if (!stored.some((job) => job.id === acknowledged)) lost.push(`key ${s.key}: job ${acknowledged}`);
  }
  const unacknowledgedStored = rows.jobs.filter((j) => !acknowledgedKeys.has(j.key)).map((j) => j.key);

  const taskIds = new Set(rows.tasks.map((t) => t.id));
  const missingAssignments = rows.tasks
    .filter((t) => t.state !== 'queued' && (assignments.get(`${t.id}#${t.epoch}`) ?? 0) === 0)
    .map((t) => `${t.id}#${t.epoch} (${t.state})`);
  const strayAssignments: string[] = [];
  let assignmentsOnKafka = 0;
  const epochsPerTask = new Map<string, number>();
  for (const [id, copies] of assignments) {
    assignmentsOnKafka += copies;
    if (copies > 1) duplicated.push(`assignment ${id}: ${copies} copies`);
    const taskId = id.slice(0, id.lastIndexOf('#'));
    if (!taskIds.has(taskId)) strayAssignments.push(id);
    epochsPerTask.set(taskId, (epochsPerTask.get(taskId) ?? 0) + 1);
  }
  const reassignedTasks = [...epochsPerTask.values()].filter((n) => n > 1).length;
  return {
    lost,
    duplicated,
    unacknowledgedStored,
    missingAssignments,
    strayAssignments,
    assignmentsOnKafka,
    reassignedTasks,
  };
}

/** The outbox's pending and sent rows (read-only): how far the relay has got with its backlog. */
export function readOutboxCounts(dataDir: string): { pending: number; sent: number } {
  const db = new DatabaseSync(join(dataDir, 'enclave.db'), { readOnly: true });
  try {
    const rows = db
      .prepare('select state, count(*) as n from outbox_message group by state')
      .all() as unknown as { state: string; n: number }[];
    const of = (state: string) => rows.find((r) => r.state === state)?.n ?? 0;
    return { pending: of('pending'), sent: of('sent') };
  } finally {
    db.close();
  }
}
