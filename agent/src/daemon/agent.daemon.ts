// Wires the agent's collaborators together and owns its life: start → take work → drain →
// stop. Every side effect arrives as a constructor argument, so tests swap any of them.
import { heartbeatsTopic, encodeEnvelope, partitionKey } from '@enclave/contracts';
import type { EraseOrderHandler } from '../erase/erase-order.handler.ts';
import type { JobsSource } from '../kafka/jobs-consumer.ts';
import {
  buildHeartbeat,
  heartbeatPeriodMs,
  type EgressCounters,
  type TelemetrySource,
} from '../heartbeat/heartbeat.builder.ts';
import type { OutboxFlusher } from '../outbox/outbox.flusher.ts';
import type { Publisher } from '../outbox/publisher.ts';
import type { TaskRunner } from '../runner/task-runner.ts';
import { AgentState, type AgentStateMachine } from '../state/agent-state.ts';
import type { Clock } from '../support/clock.ts';
import type { TimerHandle, Timers } from '../support/timers.ts';
import type { Logger } from '../support/logger.ts';

export interface AgentDaemonDeps {
  nodeId: string;
  agentVersion: string;
  machine: AgentStateMachine;
  runner: TaskRunner;
  consumer: JobsSource;
  flusher: OutboxFlusher;
  /** Heartbeats are not outboxed: a stale one is worthless, the next one replaces it. */
  heartbeatPublisher: Publisher;
  telemetry: TelemetrySource;
  egress: EgressCounters;
  clock: Clock;
  timers: Timers;
  newId: () => string;
  newTraceId: () => string;
  logger: Logger;
  heartbeatMs: number;
  flushRetryMs: number;
  drainDeadlineMs: number;
  /** Carries out erase.order (cache, scratch, running tasks) and outboxes the signed receipt. */
  eraser?: Pick<EraseOrderHandler, 'handle'>;
  /** Certificate renewal (RenewalScheduler): armed at start, stopped at shutdown. */
  renewal?: { schedule(): Date; stop(): void };
}

export class AgentDaemon {
  readonly #deps: AgentDaemonDeps;
  #heartbeatTimer: TimerHandle | null = null;
  #flushTimer: TimerHandle | null = null;
  #stopping: Promise<void> | null = null;
  #leaseMs = new Map<string, number>();

  constructor(deps: AgentDaemonDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    const { machine, consumer, runner, logger } = this.#deps;
    if (machine.state === AgentState.Enrolling) machine.apply({ kind: 'enrolled' });
    await this.flushNow();
    await consumer.start({
      onMessage: async (envelope) => {
        const eraser = this.#deps.eraser;
        if (envelope.type === 'erase.order' && eraser) {
          // Awaited: the receipt must be in the outbox before the offset is committed.
          const summary = await eraser.handle(envelope);
          logger.info('jobs message', { type: envelope.type, id: envelope.id, files: summary.files });
          this.#kickFlush();
          return;
        }
        if (envelope.type === 'task.assign') this.#leaseMs.set(envelope.body.taskId, envelope.body.leaseMs);
        const outcome = runner.handle(envelope);
        logger.info('jobs message', { type: envelope.type, id: envelope.id, outcome });
        // The outcome is already durable in the outbox; delivery happens beside the intake.
        this.#kickFlush();
      },
      onRejected: (error, offset) =>
        logger.warn('rejected record on jobs topic', { offset, error: String(error) }),
      onFatal: (error) => {
        logger.error('cannot record a job message; stopping intake', { error: String(error) });
        machine.tryApply({ kind: 'fatal', reason: String(error) });
      },
    });
    // Not awaited: with the broker away a heartbeat waits out its delivery timeout, and start
    // must not; the timer sends the next one anyway.
    void this.sendHeartbeat().catch((error: unknown) =>
      logger.warn('heartbeat failed', { error: String(error) }),
    );
    this.#scheduleHeartbeat();
    this.#scheduleFlushRetry();
    const renewal = this.#deps.renewal;
    if (renewal) {
      try {
        logger.info('certificate renewal scheduled', { at: renewal.schedule().toISOString() });
      } catch (error) {
        // An unreadable certificate must not stop the node; Kafka would fail loudly anyway.
        logger.error('cannot schedule certificate renewal', { error: String(error) });
      }
    }
  }

  /** Flushes the outbox now; failures are left for the retry timer. */
  async flushNow(): Promise<void> {
    const report = await this.#deps.flusher.flush();
    if (report.error)
      this.#deps.logger.warn('outbox not flushed', { remaining: report.remaining, error: report.error });
  }

  #kickFlush(): void {
    void this.flushNow().catch((error: unknown) =>
      this.#deps.logger.warn('flush failed', { error: String(error) }),
    );
  }

  async sendHeartbeat(): Promise<void> {
    const { runner, machine } = this.#deps;
    const envelope = buildHeartbeat(
      {
        nodeId: this.#deps.nodeId,
        agentVersion: this.#deps.agentVersion,
        state: machine.state,
        slots: { total: runner.slotsTotal, free: runner.slotsFree },
        leases: runner.leases(),
        telemetry: await this.#deps.telemetry.sample(),
        egress: this.#deps.egress.snapshot(),
        traceId: this.#deps.newTraceId(),
      },
      { id: this.#deps.newId(), now: this.#deps.clock.now() },
    );
    const [outcome] = await this.#deps.heartbeatPublisher.publish([
      {
        topic: heartbeatsTopic(this.#deps.nodeId),
        key: partitionKey(envelope),
        value: encodeEnvelope(envelope),
      },
    ]);
    if (outcome && !outcome.ok) this.#deps.logger.warn('heartbeat not delivered', { error: outcome.error });
  }

  /**
   * First call: graceful (stop intake, let tasks finish within the deadline, hand the rest
   * back, flush, stop). A second call while that runs: abort every task at once.
   */
  shutdown(): Promise<void> {
    if (this.#stopping) {
      this.#deps.runner.abortAll();
      return this.#stopping;
    }
    this.#stopping = this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    const { consumer, runner, machine } = this.#deps;
    this.#deps.renewal?.stop();
    await consumer.stop();
    if (machine.state === AgentState.Idle || machine.state === AgentState.Busy) {
      await runner.drain(this.#deps.drainDeadlineMs);
    } else {
      runner.abortAll();
    }
    this.#heartbeatTimer?.cancel();
    this.#flushTimer?.cancel();
    await this.flushNow();
    machine.tryApply({ kind: machine.state === AgentState.Draining ? 'drained' : 'stop' });
  }

  #scheduleHeartbeat(): void {
    const leases = this.#deps.runner
      .leases()
      .map((lease) => this.#leaseMs.get(lease.taskId) ?? Number.POSITIVE_INFINITY);
    const period = heartbeatPeriodMs(this.#deps.heartbeatMs, leases);
    this.#heartbeatTimer = this.#deps.timers.after(period, () => {
      void this.sendHeartbeat()
        .catch((error: unknown) => this.#deps.logger.warn('heartbeat failed', { error: String(error) }))
        .finally(() => {
          if (!this.#stopping) this.#scheduleHeartbeat();
        });
    });
  }

  #scheduleFlushRetry(): void {
    this.#flushTimer = this.#deps.timers.after(this.#deps.flushRetryMs, () => {
      void this.flushNow()
        .catch((error: unknown) => this.#deps.logger.warn('flush failed', { error: String(error) }))
        .finally(() => {
          if (!this.#stopping) this.#scheduleFlushRetry();
        });
    });
  }
}
