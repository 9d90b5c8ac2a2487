// Account closure and account legal-hold routes. Thin: each hands over to AccountRetentionService.
import { routes, type AccountRetention, type RouteInput } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { AccountRetentionService } from './account-retention.service.ts';

@Controller()
export class AccountRetentionController {
  constructor(private readonly accounts: AccountRetentionService) {}

  @ApiRoute(routes.getAccountRetention)
  get(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.getAccountRetention>,
  ): Promise<AccountRetention> {
    return this.accounts.view(caller, input.params.userId);
  }

  @ApiRoute(routes.closeAccount)
  close(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.closeAccount>,
  ): Promise<AccountRetention> {
    return this.accounts.close(caller, input.params.userId, input.body.reason);
  }

  @ApiRoute(routes.closeMyAccount)
  closeMine(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.closeMyAccount>,
  ): Promise<AccountRetention> {
    return this.accounts.closeOwn(caller, input.body.reason);
  }

  @ApiRoute(routes.placeAccountLegalHold)
  placeHold(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.placeAccountLegalHold>,
  ): Promise<AccountRetention> {
    return this.accounts.placeHold(caller, input.params.userId, input.body.reason);
  }

  @ApiRoute(routes.releaseAccountLegalHold)
  releaseHold(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.releaseAccountLegalHold>,
  ): Promise<AccountRetention> {
    return this.accounts.releaseHold(caller, input.params.userId, input.query.reason);
  }
}
