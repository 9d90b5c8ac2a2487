import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module.ts';
import { NodesModule } from '../nodes/nodes.module.ts';
import { AgentController } from './agent.controller.ts';
import { AgentService } from './agent.service.ts';
import { NodeScratchKeys } from './node-scratch-keys.service.ts';

/** What GPU nodes call over mutual TLS (/agent/*). */
@Module({
  imports: [CaModule, NodesModule],
  controllers: [AgentController],
  providers: [AgentService, NodeScratchKeys],
})
export class AgentModule {}
