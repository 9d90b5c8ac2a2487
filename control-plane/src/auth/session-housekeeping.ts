// Sessions end on sight when presented after their time; this removes the ones never presented
// again (a closed laptop), hourly, so the table holds only live sessions.
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/sqlite';
import { Clock } from '../common/clock.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { SessionsRepository } from './sessions.repository.ts';

const EVERY_MS = 3_600_000;

@Injectable()
export class SessionHousekeeping implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
    private readonly timers: IntervalTimers,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(
      EVERY_MS,
      async () => void (await this.run()),
      (error) => this.log.write('error', 'Session housekeeping failed', { error }),
    );
  }

  /** Deletes sessions past their absolute end or idle limit; returns how many. */
  run(): Promise<number> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.ENCLAVE_SESSION_IDLE_MINUTES * 60_000);
    return RequestContext.create(this.orm.em, () => this.sessions.deleteEnded(now, idleSince));
  }
}
