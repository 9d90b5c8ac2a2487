// The one Scheduler of the appliance and the only way to change it. Every command runs under
// the scheduler lock, inside one SQLite transaction that also holds everything the command
// decided: the rows it changed (tasks, jobs, nodes, tenants, assignments), the outbox rows of
// the messages it sends (task.assign, task.cancel) and the job history. After a commit the live
// events go out; after any failure the scheduler's memory is rebuilt from the database, which
// is the truth (docs/scheduler.md, "The service"). A placement round ends every command. The
// Kafka handlers of one consumer batch share one inbox transaction and run as one command
// (`batch`): one placement round, one write of the rows they touched, one commit.
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

/**
 * The commands on the hot path (Kafka handlers, submissions) whose runs are all named by their
 * events or `touched`: their assignment rows are reconciled for those tasks and nodes only.
 * Every other command (the ticker's lease and retirement expiry, admin changes, tests' ad-hoc
 * commands) reconciles every open assignment.
 */
const TOUCHED_SCOPE = /^(heartbeat|submit-job|task\.(accepted|progress|succeeded|failed))$/;

/** What the commands of a running batch changed, written when the batch ends. */
interface PendingBatch {
  readonly em: EntityManager;
  commands: number;
  readonly events: SchedulerEvent[];
  readonly touched: { tasks: Set<string>; jobs: Set<string>; nodes: Set<string> };
  readonly notes: HistoryNote[];
}

function emptyTouched(): PendingBatch['touched'] {
  return { tasks: new Set(), jobs: new Set(), nodes: new Set() };
}

function addTouched(into: PendingBatch['touched'], touched: Touched | undefined): void {
  for (const id of touched?.tasks ?? []) into.tasks.add(id);
  for (const id of touched?.jobs ?? []) into.jobs.add(id);
  for (const id of touched?.nodes ?? []) into.nodes.add(id);
}

@Injectable()
export class SchedulerService implements OnModuleInit {
  #scheduler: Scheduler | null = null;
  #batch: PendingBatch | null = null;

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
    this.lock.setBatchScope((em, work) => this.batch(em, work));
    this.log.write('info', 'Scheduler state restored', { nodes: this.scheduler.listNodes().length });
  }

  /** Read-only use (views); a command must go through `run`. */
  get scheduler(): Scheduler {
    if (this.#scheduler === null) throw new Error('The scheduler is not restored yet.');
    return this.#scheduler;
  }

  run<T>(name: string, command: Command<T>, options: RunOptions = {}): Promise<T> {
    const { em } = options;
    if (em !== undefined) {
      const batch = this.#batch;
      if (batch !== null && batch.em === em) return this.#defer(batch, command);
      return this.#apply(name, em, command);
    }
    return this.lock.exclusive(() =>
      this.orm.em.fork().transactional((tx) => this.#apply(name, tx, command)),
    );
  }

  /**
   * Runs `work` — the handlers of one Kafka consumer batch, inside its inbox transaction `em`,
   * with the lock held — as ONE command: each handler's `run(…, { em })` changes the scheduler
   * at once (so later messages of the batch see it), and what they changed is written, sent
   * and recorded once at the end, after one placement round. A failure anywhere rolls the whole
   * transaction back and rebuilds the scheduler from the database, as for any command.
   */
  async batch<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
    if (this.#batch !== null) throw new Error('Scheduler batches do not nest.');
    this.lock.held().afterFailure(() => this.#recover('inbound batch'));
    const batch: PendingBatch = { em, commands: 0, events: [], touched: emptyTouched(), notes: [] };
    this.#batch = batch;
    let value: T;
    try {
      value = await work();
    } finally {
      this.#batch = null;
    }
    if (batch.commands > 0) {
      await this.#finish(em, this.clock.now(), batch.events, batch.touched, batch.notes, 'touched');
    }
    return value;
  }

  /** Housekeeping and a placement round; the ticker calls it. */
  tick(): Promise<void> {
    return this.run('tick', ({ scheduler }) => ({ value: undefined, events: scheduler.tick().events }));
  }

  async #apply<T>(name: string, em: EntityManager, command: Command<T>): Promise<T> {
    this.lock.held().afterFailure(() => this.#recover(name));
    const now = this.clock.now();
    const outcome = await command({ scheduler: this.scheduler, em, now });
    const scope = TOUCHED_SCOPE.test(name) ? 'touched' : 'full';
    await this.#finish(em, now, outcome.events, outcome.touched, outcome.notes ?? [], scope);
    return outcome.value;
  }

  /** A command inside a batch: applied to the scheduler now, written with the batch. */
  async #defer<T>(batch: PendingBatch, command: Command<T>): Promise<T> {
    const outcome = await command({ scheduler: this.scheduler, em: batch.em, now: this.clock.now() });
    batch.commands++;
    batch.events.push(...outcome.events);
    addTouched(batch.touched, outcome.touched);
    batch.notes.push(...(outcome.notes ?? []));
    return outcome.value;
  }

  /** The end of every command: a placement round, then rows, messages and history, flushed. */
  async #finish(
    em: EntityManager,
    now: Date,
    commandEvents: readonly SchedulerEvent[],
    touched: Touched | undefined,
    notes: readonly HistoryNote[],
    scope: 'touched' | 'full',
  ): Promise<void> {
    const held = this.lock.held();
    const scheduler = this.scheduler;
    const events = [...commandEvents, ...scheduler.schedule().events];
    const index = indexSnapshot(scheduler.exportState());
    const changes = changesOf(events, touched);
    const rows = await writeSchedulerRows(em, index, changes, now.getTime(), () => this.random.id(), scope);
    await this.#sendMessages(em, events, now);
    const history = writeJobHistory(em, index, events, notes, now.getTime());
    await em.flush();
    this.#forgetFinished(index, [...changes.jobs, ...rows.released], rows.holding);
    const nodeEvents = nodeStatusEvents(events, now);
    held.afterCommit(() => {
      this.bus.publishJob(history.map((h) => ({ tenantId: h.tenantId, entry: historyEntry(h.row) })));
      this.bus.publishNode(nodeEvents);
    });
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
