import { Module } from '@nestjs/common';
import { SystemController } from './system.controller.ts';
import { SystemService } from './system.service.ts';

/** Health and API description. */
@Module({ controllers: [SystemController], providers: [SystemService] })
export class SystemModule {}
