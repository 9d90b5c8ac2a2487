import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module.ts';
import { NodesModule } from '../nodes/nodes.module.ts';
import { AgentController } from './agent.controller.ts';
import { AgentService } from './agent.service.ts';

/** What GPU nodes call over mutual TLS (/agent/*). */
@Module({ imports: [CaModule, NodesModule], controllers: [AgentController], providers: [AgentService] })
export class AgentModule {}
