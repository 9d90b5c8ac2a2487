// Routes for GPU nodes, served on the agent listener only. Thin: handlers hand over to AgentService.
import { routes, type Whoami } from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { NodeCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller } from '../http/route-params.decorator.ts';
import { AgentService } from './agent.service.ts';

@Controller()
export class AgentController {
  constructor(private readonly agent: AgentService) {}

  @ApiRoute(routes.agentWhoami)
  whoami(@Caller() node: NodeCaller): Whoami {
    return this.agent.whoami(node);
  }
}
