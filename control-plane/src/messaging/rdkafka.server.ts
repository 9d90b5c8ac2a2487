// The Nest custom transport over node-rdkafka (Nest's own Kafka transport is kafkajs). Handlers
// are ordinary `@EventPattern('task.progress')` methods taking `@Payload()` (the decoded
// envelope) and `@Ctx()` (an RdkafkaContext); they delegate to services in one line.
// At listen() the registry is checked: every inbound type has exactly one handler.
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { assertHandlerRegistry, type InboundDispatch } from './inbound-handlers.ts';
import type { InboundConsumer } from './kafka-consumer.ts';
import { errorMessage, MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import { RdkafkaContext } from './rdkafka.context.ts';

export const RDKAFKA_TRANSPORT = Symbol('enclave-rdkafka');

export class RdkafkaServer extends Server implements CustomTransportStrategy {
  override readonly transportId = RDKAFKA_TRANSPORT;
  // Handler failures must reach the consumer: a failed apply leaves the offset uncommitted.
  override readonly propagatesEventHandlerErrors = true;
  readonly #createConsumer: (dispatch: InboundDispatch) => InboundConsumer;
  #consumer: InboundConsumer | null = null;

  constructor(createConsumer: (dispatch: InboundDispatch) => InboundConsumer) {
    super();
    this.#createConsumer = createConsumer;
  }

  listen(callback: (error?: unknown, ...info: unknown[]) => void): void {
    try {
      assertHandlerRegistry(this.#handlerCounts());
    } catch (error) {
      callback(error);
      return;
    }
    const consumer = this.#createConsumer((envelope, em, position) => this.#dispatch(envelope, em, position));
    this.#consumer = consumer;
    consumer.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = null;
    await consumer?.stop();
  }

  on(): never {
    throw new Error('The rdkafka transport has no events to listen to.');
  }

  unwrap<T>(): T {
    return this.#consumer as T;
  }

  #handlerCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [pattern, handler] of this.getHandlers()) {
      let count = 0;
      for (let h: MessageHandler | undefined = handler; h; h = h.next) count++;
      counts.set(pattern, count);
    }
    return counts;
  }

  async #dispatch(...[envelope, em, position]: Parameters<InboundDispatch>): Promise<void> {
    const handler = this.getHandlerByPattern(envelope.type);
    if (!handler) {
      // Cannot happen after the start-up check; fail loudly rather than drop the message.
      throw new MessagingError(
        MessagingErrorCode.HANDLER_REGISTRY_INVALID,
        `no handler for ${envelope.type}`,
      );
    }
    try {
      const result: unknown = await handler(envelope, new RdkafkaContext([position, em]));
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    } catch (error) {
      // Nest's exception layer turns errors into plain `{ status, message }` objects.
      throw error instanceof Error
        ? error
        : new Error(`handler for ${envelope.type} failed: ${errorMessage(error)}`);
    }
  }
}
