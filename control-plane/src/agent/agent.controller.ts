// Routes for GPU nodes, served on the agent listener only. Thin: handlers hand over to AgentService.
import {
  routes,
  type AgentScratchKey,
  type RenewReply,
  type RouteInput,
  type Whoami,
} from '@enclave/contracts';
import { Controller } from '@nestjs/common';
import type { NodeCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { AgentService } from './agent.service.ts';
import { NodeScratchKeys } from './node-scratch-keys.service.ts';

@Controller()
export class AgentController {
  constructor(
    private readonly agent: AgentService,
    private readonly scratchKeys: NodeScratchKeys,
  ) {}

  @ApiRoute(routes.agentWhoami)
  whoami(@Caller() node: NodeCaller): Whoami {
    return this.agent.whoami(node);
  }

  @ApiRoute(routes.agentScratchKey)
  scratchKey(@Caller() node: NodeCaller): Promise<AgentScratchKey> {
    return this.scratchKeys.keyFor(node.nodeId);
  }

  @ApiRoute(routes.agentRenew)
  renew(
    @Caller() node: NodeCaller,
    @Input() input: RouteInput<typeof routes.agentRenew>,
  ): Promise<RenewReply> {
    return this.agent.renew(node, input.body.csrPem);
  }
}
