// Retention and legal-hold routes. Thin: each handler hands over to RetentionService.
import {
  routes,
  type LegalHoldDto,
  type ProjectRetention,
  type RetentionReport,
  type RouteInput,
} from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { RetentionService } from './retention.service.ts';

@Controller()
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @ApiRoute(routes.getProjectRetention)
  get(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.getProjectRetention>,
  ): Promise<ProjectRetention> {
    return this.retention.projectRetention(caller, input.params.projectId);
  }

  @ApiRoute(routes.extendRetention)
  extend(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.extendRetention>,
  ): Promise<ProjectRetention> {
    return this.retention.extend(caller, input.params.projectId, input.body);
  }

  @ApiRoute(routes.placeLegalHold)
  placeHold(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.placeLegalHold>,
  ): Promise<LegalHoldDto> {
    return this.retention.placeHold(caller, input.params.projectId, input.body.reason);
  }

  @ApiRoute(routes.releaseLegalHold)
  releaseHold(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.releaseLegalHold>,
  ): Promise<LegalHoldDto> {
    return this.retention.releaseHold(caller, input.params.projectId, input.query.reason);
  }

  @ApiRoute(routes.getRetentionPolicy)
  policy(@Caller() caller: UserCaller): Promise<{ defaultDays: number }> {
    return this.retention.policy(caller);
  }

  @ApiRoute(routes.setRetentionPolicy)
  setPolicy(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.setRetentionPolicy>,
  ): Promise<{ defaultDays: number }> {
    return this.retention.setPolicy(caller, input.body.defaultDays);
  }

  @ApiRoute(routes.retentionReport)
  report(@Caller() caller: UserCaller): Promise<RetentionReport> {
    return this.retention.report(caller, true);
  }

  @ApiRoute(routes.runRetention)
  run(@Caller() caller: UserCaller): Promise<RetentionReport> {
    return this.retention.report(caller, false);
  }
}
