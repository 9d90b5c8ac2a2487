// API tokens of the signed-in user. Thin: each handler hands over to ApiTokenService.
import { routes, type ApiTokenSummary, type CreatedApiToken, type RouteInput } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { ApiTokenService } from './api-token.service.ts';
import type { UserCaller } from './caller.ts';

@Controller()
export class TokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  @ApiRoute(routes.createApiToken)
  create(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.createApiToken>,
  ): Promise<CreatedApiToken> {
    return this.tokens.create(caller, input.body.name, input.body.expiresInDays);
  }

  @ApiRoute(routes.listApiTokens)
  list(@Caller() caller: UserCaller): Promise<{ items: ApiTokenSummary[] }> {
    return this.tokens.list(caller);
  }

  @ApiRoute(routes.revokeApiToken)
  revoke(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.revokeApiToken>,
  ): Promise<void> {
    return this.tokens.revoke(caller, input.params.tokenId);
  }
}
