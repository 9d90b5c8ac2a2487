// Scheduled integrity checks after the one at start-up: a disk that starts corrupting pages is
// noticed within one interval, logged as an error and shown on /api/v1/health as "failed".
import type { IntegrityStatus } from '@enclave/contracts';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { Clock } from '../common/clock.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { quickCheck } from './quick-check.ts';

export interface IntegrityReport {
  readonly status: IntegrityStatus;
  readonly checkedAt: Date | null;
}

@Injectable()
export class IntegrityService implements OnApplicationBootstrap {
  #report: IntegrityReport;

  constructor(
    private readonly orm: MikroORM,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
    private readonly timers: IntervalTimers,
    private readonly clock: Clock,
    private readonly log: AppLogger,
  ) {
    // The database provider ran quick_check before anything could inject this service.
    this.#report = { status: 'ok', checkedAt: clock.now() };
  }

  onApplicationBootstrap(): void {
    this.timers.every(
      this.config.ENCLAVE_DB_INTEGRITY_INTERVAL_MINUTES * 60_000,
      async () => void (await this.check()),
      (error) => this.log.write('error', 'Database integrity check could not run', { error }),
    );
  }

  report(): IntegrityReport {
    return this.#report;
  }

  async check(): Promise<IntegrityReport> {
    const result = await quickCheck(this.orm);
    this.#report = { status: result.ok ? 'ok' : 'failed', checkedAt: this.clock.now() };
    if (result.ok) this.log.write('debug', 'Database integrity check passed');
    else
      this.log.write('error', 'Database integrity check FAILED: restore from backup', {
        file: this.orm.config.get('dbName'),
        detail: result.detail,
      });
    return this.#report;
  }
}
