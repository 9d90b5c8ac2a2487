import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { CryptoShreddingEraser } from './crypto-shredding.eraser.ts';
import { ProjectFilesEraser } from './project-files-eraser.ts';
import { RetentionController } from './retention.controller.ts';
import { RetentionService } from './retention.service.ts';
import { RetentionSweeper } from './retention-sweeper.ts';

/** Hourly, not daily: a restart cannot postpone the sweep, and a run with nothing due is cheap. */
const SWEEP_EVERY_MS = 3_600_000;

/**
 * Retention of project files and legal holds (privacy policy §6). The sweep runs every hour
 * (expired files go within the hour, whatever the restarts) and crypto-shreds (CryptoShreddingEraser).
 */
@Module({
  controllers: [RetentionController],
  providers: [
    {
      provide: ProjectFilesEraser,
      inject: [CONTROL_PLANE_CONFIG, ProjectKeys],
      useFactory: (config: ControlPlaneConfig, keys: ProjectKeys): ProjectFilesEraser =>
        new CryptoShreddingEraser(config.ENCLAVE_DATA_DIR, keys),
    },
    RetentionSweeper,
    RetentionService,
  ],
  exports: [RetentionSweeper],
})
export class RetentionModule implements OnApplicationBootstrap {
  constructor(
    @Inject(IntervalTimers) private readonly timers: IntervalTimers,
    private readonly sweeper: RetentionSweeper,
    private readonly log: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timers.every(
      SWEEP_EVERY_MS,
      async () => {
        const report = await this.sweeper.sweep({ dryRun: false });
        if (report.items.length === 0 && report.held.length === 0) return;
        this.log.write('info', 'Retention sweep done', {
          erased: report.items.length,
          held: report.held.length,
        });
      },
      (error) => this.log.write('error', 'Retention sweep failed; it runs again within the hour', { error }),
    );
  }
}
