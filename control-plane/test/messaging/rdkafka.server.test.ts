// The Nest transport end to end: `@EventPattern` handlers in an ordinary controller receive
// decoded envelopes from the real broker (subscribed by the production patterns) with the
// transaction's EntityManager; start-up refuses a handler set that is incomplete or ambiguous.
import 'reflect-metadata';
import { encodeEnvelope, heartbeatsTopic, resultsTopic, type EnvelopeOf } from '@enclave/contracts';
import { Controller, Injectable, Module, type INestApplication, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEnvelope } from '../../src/messaging/inbound-handlers.ts';
import { InboxMessage } from '../../src/messaging/inbox-message.entity.ts';
import { messagingSettings } from '../../src/messaging/messaging.config.ts';
import { createNodeTopicsProvisioner } from '../../src/messaging/messaging.factories.ts';
import { MessagingModule } from '../../src/messaging/messaging.module.ts';
import { RdkafkaContext } from '../../src/messaging/rdkafka.context.ts';
import { InboundEvent } from '../../src/messaging/inbound-event.decorator.ts';
import { RDKAFKA_TRANSPORT, RdkafkaServer } from '../../src/messaging/rdkafka.server.ts';
import { AppliedEvent } from '../messaging-support/applied-event.entity.ts';
import { heartbeat, taskProgress } from '../messaging-support/envelopes.ts';
import { controlPlaneKafka, uniqueNodeId } from '../messaging-support/kafka-context.ts';
import { connectProducer, disconnect, produceConfirmed } from '../messaging-support/kafka-test-clients.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';
import { waitFor } from '../messaging-support/wait-for.ts';

const kafka = controlPlaneKafka('cp-test-nest');
const nodeId = uniqueNodeId('nest');
const run = uniqueNodeId('nest-run');
const settings = messagingSettings({
  kafka,
  relay: { instanceId: run },
  consumer: { groupId: run, instanceId: run },
});
const provisioner = createNodeTopicsProvisioner(settings, new RecordingLogger());
let db: TestDatabase;

/** Message ids whose handler fails once, as a busy database would. */
const failOnce = new Set<string>();

@Injectable()
class ResultsService {
  async record(envelope: InboundEnvelope, ctx: RdkafkaContext): Promise<void> {
    const { topic, offset } = ctx.getPosition();
    const em = ctx.getEntityManager();
    em.create(AppliedEvent, { messageId: envelope.id, type: envelope.type, topic, offset });
    await em.flush();
    if (failOnce.delete(envelope.id)) throw new Error('SQLITE_BUSY: database is locked');
  }
}

@Controller()
class ResultsController {
  constructor(private readonly results: ResultsService) {}

  @InboundEvent('task.accepted')
  accepted(@Payload() m: EnvelopeOf<'task.accepted'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }

  @InboundEvent('task.progress')
  progress(@Payload() m: EnvelopeOf<'task.progress'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }

  @InboundEvent('task.succeeded')
  succeeded(@Payload() m: EnvelopeOf<'task.succeeded'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }

  @InboundEvent('task.failed')
  failed(@Payload() m: EnvelopeOf<'task.failed'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }
}

@Controller()
class NodeReportsController {
  constructor(private readonly results: ResultsService) {}

  @InboundEvent('erase.receipt')
  receipt(@Payload() m: EnvelopeOf<'erase.receipt'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }

  @InboundEvent('node.heartbeat')
  heartbeat(@Payload() m: EnvelopeOf<'node.heartbeat'>, @Ctx() ctx: RdkafkaContext) {
    return this.results.record(m, ctx);
  }
}

@Controller()
class SecondProgressController {
  @InboundEvent('task.progress')
  progress() {
    return undefined;
  }
}

@Controller()
class TypoController {
  @EventPattern<string>('task.progres', RDKAFKA_TRANSPORT)
  progress() {
    return undefined;
  }
}

async function appWith(controllers: Type[], startRelay: boolean): Promise<INestApplication> {
  @Module({
    imports: [MessagingModule.forRootAsync({ useFactory: () => ({ settings, em: db.orm.em, startRelay }) })],
    controllers,
    providers: [ResultsService],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.connectMicroservice({ strategy: app.get(RdkafkaServer) }, { inheritAppConfig: true });
  return app;
}

beforeAll(async () => {
  db = await createTestDatabase([AppliedEvent]);
  await provisioner.provision(nodeId);
}, 60_000);

afterAll(async () => {
  await provisioner.remove(nodeId).catch(() => undefined);
  await db?.close();
});

describe('the rdkafka Nest transport', () => {
  it('delivers results and heartbeats to @InboundEvent handlers, applied with the inbox in one transaction, retried on failure', async () => {
    const app = await appWith([ResultsController, NodeReportsController], true);
    await app.startAllMicroservices();
    await app.init();
    try {
      const progress = taskProgress(nodeId, 'task-n', 0.9);
      const beat = heartbeat(nodeId);
      failOnce.add(progress.id);
      const producer = await connectProducer(kafka);
      await produceConfirmed(producer, resultsTopic(nodeId), encodeEnvelope(progress));
      await produceConfirmed(producer, heartbeatsTopic(nodeId), encodeEnvelope(beat));
      await disconnect(producer);

      await waitFor(
        'both handlers',
        async () =>
          (await db.orm.em.fork().count(InboxMessage, { messageId: { $in: [progress.id, beat.id] } })) === 2,
      );
      const rows = await db.orm.em.fork().find(AppliedEvent, { messageId: { $in: [progress.id, beat.id] } });
      // The first attempt failed through Nest's exception layer and rolled back; the retry applied it.
      expect(failOnce.size).toBe(0);
      expect(rows.map((r) => [r.type, r.topic]).sort()).toEqual([
        ['node.heartbeat', heartbeatsTopic(nodeId)],
        ['task.progress', resultsTopic(nodeId)],
      ]);
    } finally {
      await app.close();
    }
  });

  it.each([
    [
      'a type has no handler',
      [ResultsController],
      /erase\.receipt has no handler; node\.heartbeat has no handler/,
    ],
    [
      'a type has two handlers',
      [ResultsController, NodeReportsController, SecondProgressController],
      /task\.progress has 2 handlers/,
    ],
    [
      'a handler waits for an unknown type',
      [ResultsController, NodeReportsController, TypoController],
      /"task\.progres", which is not an inbound message type/,
    ],
  ])('refuses to start when %s', async (_case, controllers, message) => {
    const app = await appWith(controllers, false);
    try {
      await expect(app.startAllMicroservices()).rejects.toThrow(message);
    } finally {
      await app.close();
    }
  });
});
