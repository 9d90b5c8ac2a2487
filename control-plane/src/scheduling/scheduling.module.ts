// The scheduler service (the pure scheduler plus its persistence), its lock and ticker, and the
// live event bus the streams follow. Global: jobs, nodes and the Kafka handlers all use them.
import { Global, Module } from '@nestjs/common';
import { LiveEventBus } from '../live-events/live-events.bus.ts';
import { SchedulerLock } from './scheduler-lock.ts';
import { SchedulerTicker } from './scheduler-ticker.ts';
import { SchedulerService } from './scheduler.service.ts';

@Global()
@Module({
  providers: [SchedulerLock, SchedulerService, SchedulerTicker, LiveEventBus],
  exports: [SchedulerLock, SchedulerService, LiveEventBus],
})
export class SchedulingModule {}
