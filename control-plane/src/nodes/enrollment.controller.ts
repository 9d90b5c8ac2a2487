// Enrollment routes on the API listener: the it-admin's token, and the node's first call
// (authenticated by the token alone). Thin: each hands over to EnrollmentService.
import { routes, type EnrollReply, type EnrollmentTokenDto, type RouteInput } from '@enclave/contracts';
import { Controller, Req } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { EnrollmentService } from './enrollment.service.ts';

@Controller()
export class EnrollmentController {
  constructor(private readonly enrollment: EnrollmentService) {}

  @ApiRoute(routes.createEnrollmentToken)
  createToken(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.createEnrollmentToken>,
  ): Promise<EnrollmentTokenDto> {
    return this.enrollment.createToken(caller, input.body);
  }

  @ApiRoute(routes.enroll)
  enroll(
    @Input() input: RouteInput<typeof routes.enroll>,
    @Req() req: IncomingMessage,
  ): Promise<EnrollReply> {
    return this.enrollment.enroll(input.body, req.socket.remoteAddress ?? 'unknown');
  }
}
