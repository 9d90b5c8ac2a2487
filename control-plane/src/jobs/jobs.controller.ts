// Job routes. Thin: each hands over to a service.
import {
  routes,
  type Blocklist,
  type JobDetail,
  type JobSummary,
  type RouteInput,
  type TemplateSummaryDto,
} from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { TemplateRegistry } from '../templates/index.ts';
import { JobEventsService } from './job-events.service.ts';
import { JobSubmissionService } from './job-submission.service.ts';
import { JobsService } from './jobs.service.ts';

@Controller()
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly submission: JobSubmissionService,
    private readonly templates: TemplateRegistry,
    private readonly events: JobEventsService,
  ) {}

  @ApiRoute(routes.listTemplates)
  listTemplates(): { items: TemplateSummaryDto[] } {
    return { items: this.templates.list() as TemplateSummaryDto[] };
  }

  @ApiRoute(routes.submitJob)
  submit(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.submitJob>,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<JobDetail> {
    return this.submission.submit(caller, input.params.projectId, input.body, res);
  }

  @ApiRoute(routes.listJobs)
  list(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.listJobs>,
  ): Promise<{ items: JobSummary[] }> {
    return this.jobs.list(caller, input.query);
  }

  @ApiRoute(routes.getJob)
  get(@Caller() caller: UserCaller, @Input() input: RouteInput<typeof routes.getJob>): Promise<JobDetail> {
    return this.jobs.get(caller, input.params.jobId);
  }

  @ApiRoute(routes.cancelJob)
  cancel(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.cancelJob>,
  ): Promise<JobDetail> {
    return this.jobs.cancel(caller, input.params.jobId);
  }

  @ApiRoute(routes.getJobBlocklist)
  blocklist(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.getJobBlocklist>,
  ): Promise<Blocklist> {
    return this.jobs.blocklist(caller, input.params.jobId);
  }

  @ApiRoute(routes.setJobBlocklist)
  editBlocklist(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.setJobBlocklist>,
  ): Promise<Blocklist> {
    return this.jobs.editBlocklist(caller, input.params.jobId, input.body);
  }

  @ApiRoute(routes.jobEvents)
  stream(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.jobEvents>,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.events.stream(caller, input.params.jobId, input.query.lastEventId, req, res);
  }
}
