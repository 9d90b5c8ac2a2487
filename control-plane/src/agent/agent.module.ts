import { Module } from '@nestjs/common';
import { AgentController } from './agent.controller.ts';
import { AgentService } from './agent.service.ts';

/** What GPU nodes call over mutual TLS (/agent/*). */
@Module({ controllers: [AgentController], providers: [AgentService] })
export class AgentModule {}
