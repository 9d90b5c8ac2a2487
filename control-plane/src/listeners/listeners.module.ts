import { Module } from '@nestjs/common';
import { CaModule } from '../ca/ca.module.ts';
import { HttpsListeners } from './https-listeners.service.ts';

/** The API and agent HTTPS listeners (started by the bootstrap once the app is initialised). */
@Module({ imports: [CaModule], providers: [HttpsListeners], exports: [HttpsListeners] })
export class ListenersModule {}
