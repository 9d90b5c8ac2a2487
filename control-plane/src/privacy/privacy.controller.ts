// Data-subject request routes. Thin: each handler hands over to PrivacyRequests or SubjectExports.
import {
  routes,
  type ErasureCertificate,
  type MyPrivacyRequest,
  type PrivacyDecision,
  type PrivacyRequestDto,
  type RouteInput,
} from '@enclave/contracts';
import { Controller, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { PrivacyRequests } from './privacy-requests.service.ts';
import { SubjectExports } from './subject-export.service.ts';

type In<K extends keyof typeof routes> = RouteInput<(typeof routes)[K]>;

@Controller()
export class PrivacyController {
  constructor(
    private readonly requests: PrivacyRequests,
    private readonly exports: SubjectExports,
  ) {}

  @ApiRoute(routes.createPrivacyRequest)
  create(
    @Caller() caller: UserCaller,
    @Input() input: In<'createPrivacyRequest'>,
  ): Promise<PrivacyRequestDto> {
    return this.requests.create(caller, input.body);
  }

  @ApiRoute(routes.listPrivacyRequests)
  list(@Caller() caller: UserCaller): Promise<{ items: PrivacyRequestDto[] }> {
    return this.requests.list(caller);
  }

  @ApiRoute(routes.listMyPrivacyRequests)
  listMine(@Caller() caller: UserCaller): Promise<{ items: MyPrivacyRequest[] }> {
    return this.requests.listMine(caller);
  }

  @ApiRoute(routes.getPrivacyRequest)
  get(@Caller() caller: UserCaller, @Input() input: In<'getPrivacyRequest'>): Promise<PrivacyRequestDto> {
    return this.requests.get(caller, input.params.requestId);
  }

  @ApiRoute(routes.verifyPrivacyIdentity)
  verify(
    @Caller() caller: UserCaller,
    @Input() input: In<'verifyPrivacyIdentity'>,
  ): Promise<PrivacyRequestDto> {
    return this.requests.verifyIdentity(caller, input.params.requestId, input.body);
  }

  @ApiRoute(routes.approvePrivacyRequest)
  approve(
    @Caller() caller: UserCaller,
    @Input() input: In<'approvePrivacyRequest'>,
  ): Promise<PrivacyDecision> {
    return this.requests.approve(caller, input.params.requestId, input.body);
  }

  @ApiRoute(routes.rejectPrivacyRequest)
  reject(
    @Caller() caller: UserCaller,
    @Input() input: In<'rejectPrivacyRequest'>,
  ): Promise<PrivacyRequestDto> {
    return this.requests.reject(caller, input.params.requestId, input.body);
  }

  @ApiRoute(routes.liftPrivacyRestriction)
  lift(
    @Caller() caller: UserCaller,
    @Input() input: In<'liftPrivacyRestriction'>,
  ): Promise<PrivacyRequestDto> {
    return this.requests.lift(caller, input.params.requestId, input.body);
  }

  @ApiRoute(routes.getErasureCertificate)
  certificate(
    @Caller() caller: UserCaller,
    @Input() input: In<'getErasureCertificate'>,
  ): Promise<ErasureCertificate> {
    return this.requests.certificate(caller, input.params.requestId);
  }

  @ApiRoute(routes.downloadPrivacyExport)
  download(
    @Caller() caller: UserCaller,
    @Input() input: In<'downloadPrivacyExport'>,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.exports.download(caller, input.params.token, res);
  }

  @ApiRoute(routes.minorDiscovered)
  minor(@Caller() caller: UserCaller, @Input() input: In<'minorDiscovered'>): Promise<PrivacyDecision> {
    return this.requests.minorDiscovered(caller, input.params.userId);
  }
}
