// The messaging module's public surface: what the jobs, nodes and enrollment services use.
export { MessagingModule, OutboxRelayLifecycle, MESSAGING_OPTIONS } from './messaging.module.ts';
export type { MessagingModuleOptions, MessagingModuleAsyncOptions } from './messaging.module.ts';
export {
  messagingSettings,
  DEFAULT_CONSUMER_SETTINGS,
  DEFAULT_RELAY_SETTINGS,
  DEFAULT_TOPIC_SETTINGS,
} from './messaging.config.ts';
export type {
  MessagingSettings,
  MessagingSettingsInput,
  KafkaConnectionSettings,
  KafkaTlsFiles,
  RelaySettings,
  ConsumerSettings,
  TopicSettings,
} from './messaging.config.ts';
export { MessagingError, MessagingErrorCode, isMessagingError } from './messaging.errors.ts';
export { MESSAGING_ENTITIES } from './messaging.entities.ts';
export { OutboxMessage, OutboxState } from './outbox-message.entity.ts';
export { OutboxOffset } from './outbox-offset.entity.ts';
export { InboxMessage } from './inbox-message.entity.ts';
export { QuarantinedMessage } from './quarantined-message.entity.ts';
export { OutboxService, type OutboundEnvelope } from './outbox.service.ts';
export { OutboxSignal } from './outbox-signal.ts';
export type { ApplyLock } from './kafka-consumer.ts';
export { OUTBOX_ID_HEADER } from './transactional-publisher.ts';
export { RdkafkaServer, RDKAFKA_TRANSPORT } from './rdkafka.server.ts';
export { RdkafkaContext } from './rdkafka.context.ts';
export { InboundEvent } from './inbound-event.decorator.ts';
export { RdkafkaClientProxy } from './rdkafka-client.proxy.ts';
export {
  INBOUND_MESSAGE_TYPES,
  assertHandlerRegistry,
  dispatchFromTable,
  type InboundEnvelope,
  type InboundHandler,
  type InboundHandlerTable,
  type InboundMessageType,
  type RecordPosition,
} from './inbound-handlers.ts';
export { NodeTopicsProvisioner, nodeAcls, denyAcls } from './node-topics.provisioner.ts';
export type { AclAdmin, AclBinding, AclBindingFilter } from './acl-admin.ts';
export {
  createInboundConsumer,
  createNodeTopicsProvisioner,
  createOutboxRelay,
} from './messaging.factories.ts';
