// GPU nodes: enrollment (token, CSR, Kafka topics, scheduler), the rack view and the operator's
// controls, heartbeats. The Kafka handlers live in InboundModule and call NodesService.
import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module.ts';
import { EnrollmentController } from './enrollment.controller.ts';
import { EnrollmentService } from './enrollment.service.ts';
import { NodeEventsService } from './node-events.service.ts';
import { NodeMetricsHistory } from './node-metrics.history.ts';
import { NodesController } from './nodes.controller.ts';
import { NodesRepository } from './nodes.repository.ts';
import { NodesService } from './nodes.service.ts';

@Module({
  imports: [CaModule],
  controllers: [EnrollmentController, NodesController],
  providers: [
    NodesRepository,
    NodesService,
    EnrollmentService,
    NodeEventsService,
    // One history per control plane: the heartbeat handler writes it, the metrics route reads it.
    { provide: NodeMetricsHistory, useFactory: () => new NodeMetricsHistory() },
  ],
  exports: [NodesService],
})
export class NodesModule {}
