// Settings of the messaging module. The core's configuration loader maps environment variables
// onto this shape once at start-up; nothing here reads process.env. Paths name PEM files, never
// their contents, so the settings object is safe to log.
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';

export interface KafkaTlsFiles {
  /** Appliance root certificate the broker chains to. */
  readonly ca: string;
  /** The control plane's certificate chain (leaf + intermediate). */
  readonly chain: string;
  readonly key: string;
}

export interface KafkaConnectionSettings {
  /** Comma-separated `host:port` list of the CLIENT listener. */
  readonly bootstrap: string;
  readonly tls: KafkaTlsFiles;
  /** Shown in broker logs and metrics; suffixed per client (`-relay`, `-consumer`, ...). */
  readonly clientId: string;
}

export interface RelaySettings {
  /**
   * Names the relay's Kafka transactional id, `enclave-outbox-<instanceId>`. It must be stable
   * across restarts of the same database: the restarted relay fences its predecessor by it.
   */
  readonly instanceId: string;
  readonly batchSize: number;
  /** How often the relay looks for rows when nobody woke it. */
  readonly pollIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export interface ConsumerSettings {
  readonly groupId: string;
  /**
   * Static group membership (`group.instance.id`): a restarted control plane takes its
   * partitions back at once instead of waiting for the dead member's session to time out.
   * Unique per running process; stable across its restarts.
   */
  readonly instanceId: string;
  readonly sessionTimeoutMs: number;
  readonly maxBatch: number;
  /** Back-off after a handler failure: the partition is paused for this long, doubling. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** How soon topics of a node enrolled since start are found (librdkafka metadata refresh). */
  readonly metadataRefreshMs: number;
}

export interface TopicSettings {
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface MessagingSettings {
  readonly kafka: KafkaConnectionSettings;
  readonly relay: RelaySettings;
  readonly consumer: ConsumerSettings;
  readonly nodeTopics: TopicSettings;
  /** Timeout of one admin or connect call. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_RELAY_SETTINGS: RelaySettings = Object.freeze({
  instanceId: 'primary',
  batchSize: 200,
  pollIntervalMs: 1_000,
  retryInitialMs: 200,
  retryMaxMs: 30_000,
});

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = Object.freeze({
  groupId: 'control-plane',
  instanceId: 'control-plane-primary',
  sessionTimeoutMs: 30_000,
  maxBatch: 100,
  retryInitialMs: 500,
  retryMaxMs: 60_000,
  metadataRefreshMs: 10_000,
});

// One partition per node topic keeps every message to or from a node in one order.
export const DEFAULT_TOPIC_SETTINGS: TopicSettings = Object.freeze({ partitions: 1, replicationFactor: 1 });

export interface MessagingSettingsInput {
  readonly kafka: KafkaConnectionSettings;
  readonly relay?: Partial<RelaySettings>;
  readonly consumer?: Partial<ConsumerSettings>;
  readonly nodeTopics?: Partial<TopicSettings>;
  readonly requestTimeoutMs?: number;
}

const INSTANCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Fills defaults, checks ranges, and freezes: a bad value stops start-up naming the field. */
export function messagingSettings(input: MessagingSettingsInput): MessagingSettings {
  const settings: MessagingSettings = {
    kafka: Object.freeze({ ...input.kafka, tls: Object.freeze({ ...input.kafka.tls }) }),
    relay: Object.freeze({ ...DEFAULT_RELAY_SETTINGS, ...input.relay }),
    consumer: Object.freeze({ ...DEFAULT_CONSUMER_SETTINGS, ...input.consumer }),
    nodeTopics: Object.freeze({ ...DEFAULT_TOPIC_SETTINGS, ...input.nodeTopics }),
    requestTimeoutMs: input.requestTimeoutMs ?? 15_000,
  };
  const problems: string[] = [];
  if (settings.kafka.bootstrap.trim() === '') problems.push('kafka.bootstrap: required');
  for (const file of ['ca', 'chain', 'key'] as const) {
    if (settings.kafka.tls[file].trim() === '') problems.push(`kafka.tls.${file}: required`);
  }
  if (!INSTANCE_ID.test(settings.relay.instanceId)) {
    problems.push('relay.instanceId: 1-63 lower-case letters, digits or hyphens');
  }
  const positive: [string, number][] = [
    ['relay.batchSize', settings.relay.batchSize],
    ['relay.pollIntervalMs', settings.relay.pollIntervalMs],
    ['relay.retryInitialMs', settings.relay.retryInitialMs],
    ['relay.retryMaxMs', settings.relay.retryMaxMs],
    ['consumer.maxBatch', settings.consumer.maxBatch],
    ['consumer.sessionTimeoutMs', settings.consumer.sessionTimeoutMs],
    ['consumer.retryInitialMs', settings.consumer.retryInitialMs],
    ['consumer.retryMaxMs', settings.consumer.retryMaxMs],
    ['consumer.metadataRefreshMs', settings.consumer.metadataRefreshMs],
    ['nodeTopics.partitions', settings.nodeTopics.partitions],
    ['nodeTopics.replicationFactor', settings.nodeTopics.replicationFactor],
    ['requestTimeoutMs', settings.requestTimeoutMs],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${name}: a positive integer (got ${value})`);
  }
  if (settings.consumer.groupId.trim() === '') problems.push('consumer.groupId: required');
  if (!INSTANCE_ID.test(settings.consumer.instanceId)) {
    problems.push('consumer.instanceId: 1-63 lower-case letters, digits or hyphens');
  }
  if (problems.length > 0) {
    throw new MessagingError(
      MessagingErrorCode.CONFIG_INVALID,
      `Invalid messaging settings: ${problems.join('; ')}`,
    );
  }
  return Object.freeze(settings);
}
