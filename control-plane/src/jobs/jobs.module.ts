// Jobs: templates, idempotent submission, reads, cancellation, blocklists, and what nodes report
// about their tasks. The Kafka handlers (InboundController) live here too, since results and
// heartbeats arrive on one consumer. The Sealer comes from the global KeysModule.
import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module.ts';
import { NodesModule } from '../nodes/nodes.module.ts';
import { EraseOrderResender } from '../privacy/erase-order.resender.ts';
import { EraseReceipts } from '../privacy/erase-receipts.service.ts';
import { ProjectsModule } from '../projects/projects.module.ts';
import { TemplateRegistry } from '../templates/index.ts';
import { InboundController } from './inbound.controller.ts';
import { JobEventsService } from './job-events.service.ts';
import { JobSubmissionService } from './job-submission.service.ts';
import { JobsController } from './jobs.controller.ts';
import { JobsRepository } from './jobs.repository.ts';
import { JobsService } from './jobs.service.ts';
import { RestrictionProcessingGate } from '../privacy/restriction.processing-gate.ts';
import { ProcessingGate } from './processing-gate.ts';
import { TaskReportsService } from './task-reports.service.ts';

@Module({
  imports: [ProjectsModule, NodesModule, CaModule],
  controllers: [JobsController, InboundController],
  providers: [
    JobsRepository,
    JobsService,
    JobSubmissionService,
    TaskReportsService,
    JobEventsService,
    { provide: TemplateRegistry, useFactory: () => new TemplateRegistry() },
    // Restriction and objection requests in effect refuse new jobs (409); see privacy/.
    { provide: ProcessingGate, useClass: RestrictionProcessingGate },
    // erase.receipt arrives on this module's consumer; the service lives with privacy/.
    EraseReceipts,
    // Unanswered erase orders go out again on a timer and on the node's heartbeat (privacy/).
    EraseOrderResender,
  ],
  exports: [JobsRepository, TaskReportsService],
})
export class JobsModule {}
