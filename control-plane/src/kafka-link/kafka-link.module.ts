// Connects the control plane to Kafka when ENCLAVE_KAFKA_* are set: the messaging module
// (outbox relay, inbound consumer, node topics and ACLs) configured from the control plane's
// configuration, with the scheduler lock around every inbound record. Without them the app
// starts without messaging (KafkaLink is then offline). Global: jobs and nodes inject KafkaLink.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import {
  MessagingModule,
  NodeTopicsProvisioner,
  OutboxService,
  OutboxSignal,
  messagingSettings,
  type MessagingModuleOptions,
} from '../messaging/index.ts';
import { SchedulerLock } from '../scheduling/scheduler-lock.ts';
import { BrokerKafkaLink, KafkaLink, OfflineKafkaLink } from './kafka-link.ts';

/** Knobs tests turn (a unique subscription on the shared broker, fast topic discovery). */
export interface MessagingOverrides {
  readonly subscription?: readonly string[];
  readonly metadataRefreshMs?: number;
  readonly relayPollIntervalMs?: number;
}

/** The broker's files, when all four variables are set; null when none is; an error otherwise. */
export function kafkaConfigured(config: ControlPlaneConfig): boolean {
  const set = [
    config.ENCLAVE_KAFKA_BOOTSTRAP,
    config.ENCLAVE_KAFKA_CA,
    config.ENCLAVE_KAFKA_CERT,
    config.ENCLAVE_KAFKA_KEY,
  ].filter((v) => v !== undefined).length;
  if (set === 0) return false;
  if (set < 4) {
    throw new Error(
      'Kafka is half configured: set all of ENCLAVE_KAFKA_BOOTSTRAP, ENCLAVE_KAFKA_CA, ENCLAVE_KAFKA_CERT and ENCLAVE_KAFKA_KEY, or none.',
    );
  }
  return true;
}

function optionsFrom(
  config: ControlPlaneConfig,
  orm: MikroORM,
  clock: Clock,
  lock: SchedulerLock,
  overrides: MessagingOverrides,
): MessagingModuleOptions {
  const instance = config.ENCLAVE_KAFKA_INSTANCE_ID;
  return {
    settings: messagingSettings({
      kafka: {
        bootstrap: (config.ENCLAVE_KAFKA_BOOTSTRAP ?? []).join(','),
        tls: {
          ca: config.ENCLAVE_KAFKA_CA ?? '',
          chain: config.ENCLAVE_KAFKA_CERT ?? '',
          key: config.ENCLAVE_KAFKA_KEY ?? '',
        },
        clientId: `enclave-cp-${instance}`,
      },
      relay: {
        instanceId: instance,
        ...(overrides.relayPollIntervalMs !== undefined
          ? { pollIntervalMs: overrides.relayPollIntervalMs }
          : {}),
      },
      consumer: {
        groupId: config.ENCLAVE_KAFKA_CONSUMER_GROUP,
        instanceId: `cp-${instance}`,
        ...(overrides.metadataRefreshMs !== undefined
          ? { metadataRefreshMs: overrides.metadataRefreshMs }
          : {}),
      },
    }),
    em: orm.em,
    clock: () => clock.now(),
    applyLock: lock.asApplyLock,
    applyScope: lock.asApplyScope,
    ...(overrides.subscription !== undefined ? { subscription: overrides.subscription } : {}),
  };
}

@Global()
@Module({})
export class KafkaLinkModule {
  static register(config: ControlPlaneConfig, overrides: MessagingOverrides = {}): DynamicModule {
    if (!kafkaConfigured(config)) {
      return {
        module: KafkaLinkModule,
        providers: [
          {
            provide: KafkaLink,
            inject: [Clock],
            useFactory: (clock: Clock) =>
              new OfflineKafkaLink(new OutboxService(() => clock.now(), new OutboxSignal())),
          },
        ],
        exports: [KafkaLink],
      };
    }
    const nodeBootstrap = (config.ENCLAVE_KAFKA_NODE_BOOTSTRAP ?? config.ENCLAVE_KAFKA_BOOTSTRAP ?? []).join(
      ',',
    );
    return {
      module: KafkaLinkModule,
      imports: [
        MessagingModule.forRootAsync({
          inject: [CONTROL_PLANE_CONFIG, MikroORM, Clock, SchedulerLock],
          useFactory: (c: ControlPlaneConfig, orm: MikroORM, clock: Clock, lock: SchedulerLock) =>
            optionsFrom(c, orm, clock, lock, overrides),
        }),
      ],
      providers: [
        {
          provide: KafkaLink,
          inject: [OutboxService, NodeTopicsProvisioner],
          useFactory: (outbox: OutboxService, provisioner: NodeTopicsProvisioner) =>
            new BrokerKafkaLink(outbox, provisioner, nodeBootstrap),
        },
      ],
      exports: [KafkaLink],
    };
  }
}
