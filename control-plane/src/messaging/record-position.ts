// Small helpers about where a record sits and what may be said of it in logs and quarantine.
import { MAX_ENCODED_BYTES } from '@enclave/contracts';
import type { RecordPosition } from './inbound-handlers.ts';
import type { TopicPartitionRef } from './inbound-record-source.ts';

export function partitionId(partition: TopicPartitionRef): string {
  return `${partition.partition}:${partition.topic}`;
}

export function describe(position: RecordPosition): string {
  return `${position.topic}[${position.partition}]@${position.offset}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of a record that failed validation, when it has a well-formed one: to correlate, never to trust. */
export function messageIdOf(value: Buffer | null): string | null {
  if (!value || value.length > MAX_ENCODED_BYTES) return null;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === 'string' && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}
