// The IT operator's node routes. Thin: each hands over to NodesService.
import { routes, type NodeMetrics, type NodeSummary, type RouteInput } from '@enclave/contracts';
import { Controller, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { ApiRoute } from '../http/api-route.decorator.ts';
import { Caller, Input } from '../http/route-params.decorator.ts';
import { NodeEventsService } from './node-events.service.ts';
import { NodesService } from './nodes.service.ts';

@Controller()
export class NodesController {
  constructor(
    private readonly nodes: NodesService,
    private readonly events: NodeEventsService,
  ) {}

  @ApiRoute(routes.listNodes)
  list(): Promise<{ items: NodeSummary[] }> {
    return this.nodes.list();
  }

  @ApiRoute(routes.nodeMetrics)
  metrics(@Input() input: RouteInput<typeof routes.nodeMetrics>): Promise<NodeMetrics> {
    return this.nodes.metrics(input.params.nodeId, input.query.minutes);
  }

  @ApiRoute(routes.drainNode)
  drain(@Input() input: RouteInput<typeof routes.drainNode>): Promise<NodeSummary> {
    return this.nodes.setAdminState(input.params.nodeId, 'draining', input.query.evict === 'true');
  }

  @ApiRoute(routes.cordonNode)
  cordon(@Input() input: RouteInput<typeof routes.cordonNode>): Promise<NodeSummary> {
    return this.nodes.setAdminState(input.params.nodeId, 'cordoned');
  }

  @ApiRoute(routes.activateNode)
  activate(@Input() input: RouteInput<typeof routes.activateNode>): Promise<NodeSummary> {
    return this.nodes.setAdminState(input.params.nodeId, 'active');
  }

  @ApiRoute(routes.revokeNode)
  revoke(
    @Caller() caller: UserCaller,
    @Input() input: RouteInput<typeof routes.revokeNode>,
  ): Promise<NodeSummary> {
    return this.nodes.revoke(caller, input.params.nodeId);
  }

  @ApiRoute(routes.nodeEvents)
  stream(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    this.events.stream(req, res);
  }
}
