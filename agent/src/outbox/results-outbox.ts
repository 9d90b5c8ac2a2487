// Writes result envelopes into the outbox: validated and encoded now (a bad message fails at
// its source, not at flush time), keyed as contracts says, addressed to results.<self>.
import { encodeEnvelope, partitionKey, resultsTopic, type Envelope } from '@enclave/contracts';
import type { OutboxStore } from './outbox.store.ts';

export class ResultsOutbox {
  readonly #store: OutboxStore;
  readonly #onAppend: () => void;

  constructor(store: OutboxStore, onAppend: () => void = () => {}) {
    this.#store = store;
    this.#onAppend = onAppend;
  }

  append(envelope: Envelope): void {
    this.#store.append({
      topic: resultsTopic(envelope.nodeId),
      key: partitionKey(envelope),
      value: encodeEnvelope(envelope),
      messageId: envelope.id,
      createdAt: envelope.ts,
    });
    this.#onAppend();
  }

  depth(): number {
    return this.#store.depth();
  }
}
