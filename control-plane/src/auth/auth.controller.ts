// Sign-in, sign-out and "who am I". Thin: each handler hands over to a service.
import { routes, type LoginReply, type RouteInput } from '@enclave/contracts';
import type { CurrentUser as CurrentUserDto } from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { BrowserSessionFlow } from './browser-session.flow.ts';
import type { UserCaller } from './caller.ts';
import { currentUser } from './current-user.ts';
import { ConsentService } from '../privacy-evidence/consent.service.ts';
import { PersonalDataSealer } from '../keys/personal-data.sealer.ts';
import { UsersRepository } from './users.repository.ts';

@Controller()
export class AuthController {
  constructor(
    private readonly flow: BrowserSessionFlow,
    private readonly consent: ConsentService,
    private readonly users: UsersRepository,
    private readonly people: PersonalDataSealer,
  ) {}

  @ApiRoute(routes.login)
  login(
    @Input() input: RouteInput<typeof routes.login>,
    @Req() req: IncomingMessage,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<LoginReply> {
    return this.flow.signIn(input.body, req, res);
  }

  @ApiRoute(routes.logout)
  logout(@Caller() caller: UserCaller, @Res({ passthrough: true }) res: ServerResponse): Promise<void> {
    return this.flow.signOut(caller, res);
  }

  @ApiRoute(routes.logoutAll)
  logoutAll(@Caller() caller: UserCaller, @Res({ passthrough: true }) res: ServerResponse): Promise<void> {
    return this.flow.signOutEverywhere(caller, res);
  }

  @ApiRoute(routes.currentUser)
  async me(@Caller() caller: UserCaller): Promise<CurrentUserDto> {
    const consent = await this.consent.status(caller.tenantId, caller.userId);
    const user = await this.users.findById(caller.userId);
    const person = await this.people.view(user ?? { id: caller.userId });
    return { ...currentUser(caller, person), reacknowledgementRequired: consent.reacknowledgementRequired };
  }
}
