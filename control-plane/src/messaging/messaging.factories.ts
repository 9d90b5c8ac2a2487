// Builds the relay and the inbound consumer from settings and an EntityManager. The Nest
// module uses these, and so do the fault-injection child processes, which run without Nest.
import type { Clock } from '@enclave/certs';
import type { EntityManager } from '@mikro-orm/core';
import { RdkafkaCommittedLogReader } from './committed-log-reader.ts';
import type { InboundDispatch } from './inbound-handlers.ts';
import { RdkafkaRecordSource } from './inbound-record-source.ts';
import { InboxStore, type ApplyScope } from './inbox.store.ts';
import { InboundConsumer, type ApplyLock, type ConsumerObserver } from './kafka-consumer.ts';
import { ProtocolAclAdmin } from './kafka-protocol/protocol-acl-admin.ts';
import type { MessagingSettings } from './messaging.config.ts';
import type { MessagingLogger } from './messaging.logger.ts';
import { NodeTopicsProvisioner } from './node-topics.provisioner.ts';
import { OutboxRecovery } from './outbox-recovery.ts';
import { OutboxRelay, type RelayObserver } from './outbox-relay.ts';
import type { OutboxSignal } from './outbox-signal.ts';
import { OutboxStore } from './outbox.store.ts';
import { RdkafkaTopicAdmin } from './topic-admin.ts';
import { RdkafkaTransactionalPublisher } from './transactional-publisher.ts';

export function outboxTransactionalId(instanceId: string): string {
  return `enclave-outbox-${instanceId}`;
}

export interface RelayWiring {
  readonly em: EntityManager;
  readonly settings: MessagingSettings;
  readonly signal: OutboxSignal;
  readonly clock: Clock;
  readonly logger: MessagingLogger;
  readonly observer?: RelayObserver;
}

export function createOutboxRelay(wiring: RelayWiring): OutboxRelay {
  const { settings } = wiring;
  const store = new OutboxStore(wiring.em, wiring.clock);
  const reader = new RdkafkaCommittedLogReader({
    kafka: settings.kafka,
    groupId: `enclave-outbox-recovery-${settings.relay.instanceId}`,
    timeoutMs: settings.requestTimeoutMs,
  });
  return new OutboxRelay({
    store,
    publisherFactory: () =>
      new RdkafkaTransactionalPublisher({
        kafka: settings.kafka,
        transactionalId: outboxTransactionalId(settings.relay.instanceId),
        timeoutMs: settings.requestTimeoutMs,
      }),
    recovery: new OutboxRecovery(store, reader, wiring.logger),
    signal: wiring.signal,
    settings: settings.relay,
    logger: wiring.logger,
    ...(wiring.observer ? { observer: wiring.observer } : {}),
  });
}

export interface ConsumerWiring {
  readonly em: EntityManager;
  readonly settings: MessagingSettings;
  readonly dispatch: InboundDispatch;
  readonly clock: Clock;
  readonly logger: MessagingLogger;
  readonly observer?: ConsumerObserver;
  readonly subscription?: readonly string[];
  readonly applyLock?: ApplyLock;
  /** Runs around the handlers of each inbox transaction (the scheduler's batch command). */
  readonly applyScope?: ApplyScope;
}

export function createInboundConsumer(wiring: ConsumerWiring): InboundConsumer {
  const { settings } = wiring;
  return new InboundConsumer({
    source: new RdkafkaRecordSource({
      kafka: settings.kafka,
      groupId: settings.consumer.groupId,
      groupInstanceId: settings.consumer.instanceId,
      sessionTimeoutMs: settings.consumer.sessionTimeoutMs,
      timeoutMs: settings.requestTimeoutMs,
      metadataRefreshMs: settings.consumer.metadataRefreshMs,
      logger: wiring.logger,
    }),
    inbox: new InboxStore(wiring.em, wiring.clock, wiring.applyScope),
    dispatch: wiring.dispatch,
    settings: settings.consumer,
    logger: wiring.logger,
    ...(wiring.observer ? { observer: wiring.observer } : {}),
    ...(wiring.subscription ? { subscription: wiring.subscription } : {}),
    ...(wiring.applyLock ? { applyLock: wiring.applyLock } : {}),
  });
}

export function createNodeTopicsProvisioner(
  settings: MessagingSettings,
  logger: MessagingLogger,
): NodeTopicsProvisioner {
  return new NodeTopicsProvisioner(
    new RdkafkaTopicAdmin({
      kafka: settings.kafka,
      topics: settings.nodeTopics,
      timeoutMs: settings.requestTimeoutMs,
    }),
    new ProtocolAclAdmin({
      bootstrap: settings.kafka.bootstrap,
      tls: settings.kafka.tls,
      clientId: `${settings.kafka.clientId}-acl-admin`,
      timeoutMs: settings.requestTimeoutMs,
    }),
    logger,
  );
}
