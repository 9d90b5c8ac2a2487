// Agent routes of the asset store (agent listener, node certificate): the task's data key, its
// inputs' ciphertext, and its outputs' ciphertext. Thin: handlers hand over to AgentAssetsService.
import { routes, type AgentDataKey, type AssetRef, type RouteInput } from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { AgentAssetsService } from './agent-assets.service.ts';

@Controller()
export class AgentAssetsController {
  constructor(private readonly agent: AgentAssetsService) {}

  @ApiRoute(routes.agentTaskDataKey)
  dataKey(
    @Caller() node: NodeCaller,
    @Input() input: RouteInput<typeof routes.agentTaskDataKey>,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<AgentDataKey> {
    return this.agent.dataKey(node, input.params.taskId, input.query.epoch, res);
  }

  @ApiRoute(routes.agentTaskInput)
  input(
    @Caller() node: NodeCaller,
    @Input() input: RouteInput<typeof routes.agentTaskInput>,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.agent.input(node, input.params.taskId, input.params.assetId, input.query.epoch, res);
  }

  @ApiRoute(routes.agentTaskOutput)
  output(
    @Caller() node: NodeCaller,
    @Input() input: RouteInput<typeof routes.agentTaskOutput>,
    @Req() req: IncomingMessage,
  ): Promise<AssetRef> {
    return this.agent.output(node, input.params.taskId, input.params.name, input.query.epoch, req);
  }
}
