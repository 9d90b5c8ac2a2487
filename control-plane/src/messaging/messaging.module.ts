// Wires the messaging pieces into Nest. The core passes its settings and the application's root
// EntityManager through `forRootAsync`; nothing here reads the environment or builds an ORM.
//
//   MessagingModule.forRootAsync({ inject: [CONFIG, MikroORM], useFactory: (config, orm) =>
//     ({ settings: messagingSettings(...), em: orm.em }) })
//   ...
//   app.connectMicroservice({ strategy: app.get(RdkafkaServer) }, { inheritAppConfig: true });
//   await app.startAllMicroservices();
import type { Clock } from '@enclave/certs';
import type { EntityManager } from '@mikro-orm/core';
import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import type { ApplyScope } from './inbox.store.ts';
import type { ApplyLock } from './kafka-consumer.ts';
import type { MessagingSettings } from './messaging.config.ts';
import {
  createInboundConsumer,
  createNodeTopicsProvisioner,
  createOutboxRelay,
} from './messaging.factories.ts';
import { messagingLogger } from './messaging.logger.ts';
import { NodeTopicsProvisioner } from './node-topics.provisioner.ts';
import type { OutboxRelay } from './outbox-relay.ts';
import { OutboxSignal } from './outbox-signal.ts';
import { OutboxService } from './outbox.service.ts';
import { RdkafkaClientProxy } from './rdkafka-client.proxy.ts';
import { RdkafkaServer } from './rdkafka.server.ts';

export interface MessagingModuleOptions {
  readonly settings: MessagingSettings;
  /** The application's root EntityManager; the messaging pieces fork it per unit of work. */
  readonly em: EntityManager;
  readonly clock?: Clock;
  /** Off in processes that must not publish (a read-only replica, a one-off CLI). */
  readonly startRelay?: boolean;
  /** Topic patterns the consumer subscribes to; every results and heartbeats topic by default. */
  readonly subscription?: readonly string[];
  /** Taken around each inbound batch's inbox transaction (the control plane's scheduler lock). */
  readonly applyLock?: ApplyLock;
  /** Runs around the handlers inside each inbox transaction (the scheduler's batch command). */
  readonly applyScope?: ApplyScope;
}

export interface MessagingModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Starts the relay with the application and stops it before the database closes. */
export class OutboxRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;
  readonly #enabled: boolean;

  constructor(relay: OutboxRelay, enabled: boolean) {
    this.relay = relay;
    this.#enabled = enabled;
  }

  onApplicationBootstrap(): void {
    if (this.#enabled) this.relay.start();
  }

  // Before, not on, shutdown: the ORM closes its connection in onApplicationShutdown.
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

const clockOf = (options: MessagingModuleOptions): Clock => options.clock ?? (() => new Date());

@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: OutboxSignal, useValue: new OutboxSignal() },
        {
          provide: OutboxService,
          inject: [MESSAGING_OPTIONS, OutboxSignal],
          useFactory: (o: MessagingModuleOptions, signal: OutboxSignal) =>
            new OutboxService(clockOf(o), signal),
        },
        {
          provide: OutboxRelayLifecycle,
          inject: [MESSAGING_OPTIONS, OutboxSignal],
          useFactory: (o: MessagingModuleOptions, signal: OutboxSignal) =>
            new OutboxRelayLifecycle(
              createOutboxRelay({
                em: o.em,
                settings: o.settings,
                signal,
                clock: clockOf(o),
                logger: messagingLogger('OutboxRelay'),
              }),
              o.startRelay ?? true,
            ),
        },
        {
          provide: RdkafkaServer,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) =>
            new RdkafkaServer((dispatch) =>
              createInboundConsumer({
                em: o.em,
                settings: o.settings,
                dispatch,
                clock: clockOf(o),
                logger: messagingLogger('KafkaConsumer'),
                ...(o.subscription ? { subscription: o.subscription } : {}),
                ...(o.applyLock ? { applyLock: o.applyLock } : {}),
                ...(o.applyScope ? { applyScope: o.applyScope } : {}),
              }),
            ),
        },
        {
          provide: NodeTopicsProvisioner,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) =>
            createNodeTopicsProvisioner(o.settings, messagingLogger('NodeTopics')),
        },
        {
          provide: RdkafkaClientProxy,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) =>
            new RdkafkaClientProxy(o.settings.kafka, o.settings.requestTimeoutMs),
        },
      ],
      exports: [
        OutboxService,
        OutboxSignal,
        NodeTopicsProvisioner,
        RdkafkaServer,
        RdkafkaClientProxy,
        OutboxRelayLifecycle,
      ],
    };
  }
}
