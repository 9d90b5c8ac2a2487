// Builds result envelopes for one assignment (same tenant and trace as the task.assign) and
// hands them to the durable outbox.
import {
  newEnvelope,
  type EnvelopeOf,
  type NewEnvelopeFields,
  type TaskFailedBody,
  type TaskProgressBody,
  type TaskSucceededBody,
} from '@enclave/contracts';
import type { Clock } from '../support/clock.ts';

type ResultType = 'task.accepted' | 'task.progress' | 'task.succeeded' | 'task.failed';

export interface ResultSink {
  append(envelope: EnvelopeOf<ResultType>): void;
}

export class ResultEmitter {
  readonly #assign: EnvelopeOf<'task.assign'>;
  readonly #sink: ResultSink;
  readonly #clock: Clock;
  readonly #newId: () => string;

  constructor(assign: EnvelopeOf<'task.assign'>, sink: ResultSink, clock: Clock, newId: () => string) {
    this.#assign = assign;
    this.#sink = sink;
    this.#clock = clock;
    this.#newId = newId;
  }

  get ref() {
    const { jobId, taskId, epoch } = this.#assign.body;
    return { jobId, taskId, epoch };
  }

  accepted(): void {
    this.#emit({ ...this.#base(), type: 'task.accepted', body: this.ref });
  }

  progress(body: Omit<TaskProgressBody, 'jobId' | 'taskId' | 'epoch'>): void {
    this.#emit({ ...this.#base(), type: 'task.progress', body: { ...this.ref, ...body } });
  }

  succeeded(body: Omit<TaskSucceededBody, 'jobId' | 'taskId' | 'epoch'>): void {
    this.#emit({ ...this.#base(), type: 'task.succeeded', body: { ...this.ref, ...body } });
  }

  failed(body: Omit<TaskFailedBody, 'jobId' | 'taskId' | 'epoch'>): void {
    this.#emit({ ...this.#base(), type: 'task.failed', body: { ...this.ref, ...body } });
  }

  #base() {
    return { nodeId: this.#assign.nodeId, tenantId: this.#assign.tenantId, traceId: this.#assign.traceId };
  }

  #emit<T extends ResultType>(fields: NewEnvelopeFields<T>): void {
    this.#sink.append(newEnvelope(fields, { id: this.#newId(), now: this.#clock.now() }));
  }
}
