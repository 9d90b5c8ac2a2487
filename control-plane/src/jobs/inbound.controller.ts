// The Kafka handlers: one per inbound message type (checked at start-up), each a one-line
// hand-over to a service with the inbox transaction's EntityManager, so the message's effects
// and its inbox row commit together.
import type { EnvelopeOf } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InboundEvent, RdkafkaContext } from '../messaging/index.ts';
import { NodesService } from '../nodes/nodes.service.ts';
import { EraseOrderResender } from '../privacy/erase-order.resender.ts';
import { EraseReceipts } from '../privacy/erase-receipts.service.ts';
import { TaskReportsService } from './task-reports.service.ts';

@Controller()
export class InboundController {
  constructor(
    private readonly reports: TaskReportsService,
    private readonly nodes: NodesService,
    private readonly receipts: EraseReceipts,
    private readonly eraseOrders: EraseOrderResender,
  ) {}

  @InboundEvent('node.heartbeat')
  async heartbeat(@Payload() m: EnvelopeOf<'node.heartbeat'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    await this.nodes.onHeartbeat(ctx.getEntityManager(), m);
    // A node that is back gets the erase orders it has not answered again.
    await this.eraseOrders.onHeartbeat(ctx.getEntityManager(), m.nodeId);
  }

  @InboundEvent('task.accepted')
  accepted(@Payload() m: EnvelopeOf<'task.accepted'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    return this.reports.onAccepted(ctx.getEntityManager(), m);
  }

  @InboundEvent('task.progress')
  progress(@Payload() m: EnvelopeOf<'task.progress'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    return this.reports.onProgress(ctx.getEntityManager(), m);
  }

  @InboundEvent('task.succeeded')
  succeeded(@Payload() m: EnvelopeOf<'task.succeeded'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    return this.reports.onSucceeded(ctx.getEntityManager(), m);
  }

  @InboundEvent('task.failed')
  failed(@Payload() m: EnvelopeOf<'task.failed'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    return this.reports.onFailed(ctx.getEntityManager(), m);
  }

  /** Verified against the appliance CA and recorded into the erasure certificate (privacy/). */
  @InboundEvent('erase.receipt')
  async eraseReceipt(@Payload() m: EnvelopeOf<'erase.receipt'>, @Ctx() ctx: RdkafkaContext): Promise<void> {
    await this.receipts.onReceipt(ctx.getEntityManager(), m);
  }
}
