// The one Scheduler of the appliance and the only way to change it. Every command runs under
// the scheduler lock, inside one SQLite transaction that also holds everything the command
// decided: the rows it changed (tasks, jobs, nodes, tenants, assignments), the outbox rows of
// the messages it sends (task.assign, task.cancel) and the job history. After a commit the live
// events go out; after any failure the scheduler's memory is rebuilt from the database, which
// is the truth (docs/scheduler.md, "The service"). A placement round ends every command.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import type { NodeStatusEvent } from '@enclave/contracts';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { KafkaLink } from '../kafka-link/kafka-link.ts';
import { LiveEventBus } from '../live-events/live-events.bus.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { Scheduler, type SchedulerEvent } from '../scheduler/index.ts';
import { assignEnvelope, cancelEnvelope, type MessageStamp } from './assignment-messages.ts';
import { historyEntry, writeJobHistory, type HistoryNote } from './job-history.writer.ts';
import { changesOf, type Touched } from './scheduler-changes.ts';
import { SchedulerLock } from './scheduler-lock.ts';
import { indexSnapshot, writeSchedulerRows, type SnapshotIndex } from './scheduler-rows.writer.ts';
import { schedulerSettings } from './scheduler-settings.ts';
import { loadSchedulerSnapshot } from './scheduler-snapshot.loader.ts';

export interface CommandContext {
  readonly scheduler: Scheduler;
  /** The command's transaction: create or change rows with it, never with another fork. */
  readonly em: EntityManager;
  readonly now: Date;
}

export interface CommandOutcome<T> {
  readonly value: T;
  readonly events: readonly SchedulerEvent[];
  /** Rows changed without an event (a heartbeat's node, a progress report's task). */
  readonly touched?: Touched;
  readonly notes?: readonly HistoryNote[];
}

export type Command<T> = (ctx: CommandContext) => CommandOutcome<T> | Promise<CommandOutcome<T>>;

export interface RunOptions {
  /** Run inside this transaction (a Kafka handler's inbox transaction); the lock is held already. */
  readonly em?: EntityManager;
}

@Injectable()
export class SchedulerService implements OnModuleInit {
  #scheduler: Scheduler | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly lock: SchedulerLock,
    private readonly kafka: KafkaLink,
    private readonly bus: LiveEventBus,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.lock.exclusive(() => this.#rebuild());
    this.log.write('info', 'Scheduler state restored', { nodes: this.scheduler.listNodes().length });
  }

  /** Read-only use (views); a command must go through `run`. */
  get scheduler(): Scheduler {
    if (this.#scheduler === null) throw new Error('The scheduler is not restored yet.');
    return this.#scheduler;
  }

  run<T>(name: string, command: Command<T>, options: RunOptions = {}): Promise<T> {
    const { em } = options;
    if (em !== undefined) return this.#apply(name, em, command);
    return this.lock.exclusive(() =>
      this.orm.em.fork().transactional((tx) => this.#apply(name, tx, command)),
    );
  }

  /** Housekeeping and a placement round; the ticker calls it. */
  tick(): Promise<void> {
    return this.run('tick', ({ scheduler }) => ({ value: undefined, events: scheduler.tick().events }));
  }

  async #apply<T>(name: string, em: EntityManager, command: Command<T>): Promise<T> {
    const held = this.lock.held();
    held.afterFailure(() => this.#recover(name));
    const now = this.clock.now();
    const scheduler = this.scheduler;
    const outcome = await command({ scheduler, em, now });
    const events = [...outcome.events, ...scheduler.schedule().events];
    const index = indexSnapshot(scheduler.exportState());
    const changes = changesOf(events, outcome.touched);
    const rows = await writeSchedulerRows(em, index, changes, now.getTime(), () => this.random.id());
    await this.#sendMessages(em, events, now);
    const history = writeJobHistory(em, index, events, outcome.notes ?? [], now.getTime());
    await em.flush();
    this.#forgetFinished(index, [...changes.jobs, ...rows.released], rows.holding);
    const nodeEvents = nodeStatusEvents(events, now);
    held.afterCommit(() => {
      this.bus.publishJob(history.map((h) => ({ tenantId: h.tenantId, entry: historyEntry(h.row) })));
      this.bus.publishNode(nodeEvents);
    });
    return outcome.value;
  }

  async #sendMessages(em: EntityManager, events: readonly SchedulerEvent[], now: Date): Promise<void> {
    const stamp: MessageStamp = { id: () => this.random.id(), traceId: () => this.#traceId(), now };
    for (const event of events) {
      if (event.type === 'task-assigned') {
        const { envelope, missing } = await assignEnvelope(em, event.assignment, stamp);
        for (const m of missing) {
          this.log.write('warn', 'Task input not reported by its producing task; sent without it', { ...m });
        }
        this.kafka.enqueue(em, envelope);
      } else if (event.type === 'cancel-order') {
        this.kafka.enqueue(em, await cancelEnvelope(em, event.nodeId, event.body, stamp));
      }
    }
  }

  /**
   * A finished job leaves memory once none of its runs holds capacity any more; the loader reads
   * the same set back (unfinished jobs, and finished ones with open runs).
   */
  #forgetFinished(index: SnapshotIndex, candidates: readonly string[], holding: ReadonlySet<string>): void {
    for (const jobId of new Set(candidates)) {
      const job = index.jobs.get(jobId);
      if (job === undefined || holding.has(jobId)) continue;
      if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') {
        this.scheduler.forgetJob(jobId);
      }
    }
  }

  async #recover(name: string): Promise<void> {
    this.log.write('warn', 'Scheduler command failed; rebuilding its state from the database', {
      command: name,
    });
    await this.#rebuild();
  }

  async #rebuild(): Promise<void> {
    const snapshot = await loadSchedulerSnapshot(this.orm.em.fork());
    this.#scheduler = new Scheduler({
      clock: { now: () => this.clock.now().getTime() },
      config: schedulerSettings(this.config),
      snapshot,
    });
  }

  #traceId(): string {
    const hex = this.random.bytes(16).toString('hex');
    return /^0+$/.test(hex) ? `${hex.slice(0, 31)}1` : hex;
  }
}

function nodeStatusEvents(events: readonly SchedulerEvent[], now: Date): NodeStatusEvent[] {
  const out: NodeStatusEvent[] = [];
  for (const e of events) {
    if (e.type === 'node-state') out.push({ nodeId: e.nodeId, status: e.status, at: now.toISOString() });
  }
  return out;
}
