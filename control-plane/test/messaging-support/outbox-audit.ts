// The verdict of a crash run: every acknowledged job exists exactly once, every job's
// assignment is on Kafka exactly once, and nothing else is.
import type { MikroORM } from '@mikro-orm/sqlite';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { OutboxMessage, OutboxState } from '../../src/messaging/outbox-message.entity.ts';
import { HarnessJob } from './harness-job.entity.ts';
import { readTopic } from './kafka-test-clients.ts';

export interface OutboxAudit {
  /** Keys a client tried to submit (at least once). */
  attempted: number;
  /** Keys whose submission was confirmed to the client. */
  acknowledged: number;
  jobs: number;
  /** Committed records on the topic. */
  published: number;
  /** Acknowledged keys without a job, or jobs whose assignment is not on Kafka. */
  lost: string[];
  /** Assignment ids on Kafka more than once. */
  duplicated: string[];
  /** Records on Kafka that belong to no job (a rolled-back transaction leaked). */
  strays: string[];
  stillPending: number;
}

export async function auditOutbox(
  orm: MikroORM,
  kafka: KafkaConnectionSettings,
  topic: string,
  /** The key prefix of this run's jobs (`<nodeId>-`): the database may hold other runs. */
  keyPrefix: string,
  attempted: ReadonlySet<string>,
  acknowledged: ReadonlySet<string>,
): Promise<OutboxAudit> {
  const em = orm.em.fork();
  const jobs = await em.find(HarnessJob, { idempotencyKey: { $like: `${keyPrefix}%` } });
  const byKey = new Map(jobs.map((job) => [job.idempotencyKey, job]));
  const { records, copies } = await readTopic(kafka, topic);
  const assignmentIds = new Set(jobs.map((job) => job.assignmentId));
  const lost = [
    ...[...acknowledged].filter((key) => !byKey.has(key)),
    ...jobs.filter((job) => !copies.has(job.assignmentId)).map((job) => job.idempotencyKey),
  ];
  return {
    attempted: attempted.size,
    acknowledged: acknowledged.size,
    jobs: jobs.length,
    published: records.length,
    lost,
    duplicated: [...copies].filter(([, n]) => n > 1).map(([id]) => id),
    strays: [...copies.keys()].filter((id) => !assignmentIds.has(id)),
    stillPending: await em.count(OutboxMessage, { topic, state: OutboxState.Pending }),
  };
}
