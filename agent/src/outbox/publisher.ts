// What the outbox flusher needs from Kafka: publish a batch in order and resolve once per
// message with its delivery outcome. The real one is RdkafkaPublisher; tests use a fake.
export interface PublishRequest {
  topic: string;
  key: string;
  value: Buffer;
}

export type DeliveryOutcome = { ok: true } | { ok: false; error: string };

export interface Publisher {
  /** Outcomes in the order of `messages`; never rejects for a per-message failure. */
  publish(messages: readonly PublishRequest[]): Promise<DeliveryOutcome[]>;
}
