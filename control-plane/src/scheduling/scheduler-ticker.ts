// Runs the scheduler's housekeeping on a timer: lost nodes, expired leases (requeued with
// epoch + 1, the old node told to cancel) and a placement round. Tests with a frozen clock call
// SchedulerService.tick() themselves instead.
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IntervalTimers } from '../common/interval-timers.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { SchedulerService } from './scheduler.service.ts';

@Injectable()
export class SchedulerTicker implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: SchedulerService,
    private readonly timers: IntervalTimers,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(
      this.config.ENCLAVE_SCHEDULER_TICK_MS,
      () => this.scheduler.tick(),
      (error) => this.log.write('error', 'Scheduler tick failed', { error: String(error) }),
    );
  }
}
