import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { AccountShredder } from '../privacy/account-shredder.ts';
import { AccountRetentionController } from './account-retention.controller.ts';
import { AccountRetentionService } from './account-retention.service.ts';
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
  controllers: [RetentionController, AccountRetentionController],
  providers: [
    {
      provide: ProjectFilesEraser,
      inject: [CONTROL_PLANE_CONFIG, ProjectKeys],
      useFactory: (config: ControlPlaneConfig, keys: ProjectKeys): ProjectFilesEraser =>
        new CryptoShreddingEraser(config.ENCLAVE_DATA_DIR, keys),
    },
    RetentionSweeper,
    RetentionService,
    AccountShredder,
    AccountRetentionService,
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
        const nothing =
          report.items.length + report.held.length + report.accounts.length + report.heldAccounts.length ===
          0;
        if (nothing) return;
        this.log.write('info', 'Retention sweep done', {
          erased: report.items.length,
          held: report.held.length,
          accountsShredded: report.accounts.length,
          accountsHeld: report.heldAccounts.length,
        });
      },
      (error) => this.log.write('error', 'Retention sweep failed; it runs again within the hour', { error }),
    );
  }
}
