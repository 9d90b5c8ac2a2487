// Unfinished uploads a client never came back to: their sessions and partial files are removed
// once expired, at start-up and hourly (an expired session met by a request is removed then).
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { IntervalTimers } from '../common/interval-timers.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { UploadSessionsService } from './upload-sessions.service.ts';

const EVERY_MS = 3_600_000;

@Injectable()
export class UploadHousekeeping implements OnApplicationBootstrap {
  constructor(
    private readonly uploads: UploadSessionsService,
    private readonly timers: IntervalTimers,
    private readonly log: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    const failed = (error: unknown): void => this.log.write('error', 'Upload housekeeping failed', { error });
    this.uploads.sweep().catch(failed);
    this.timers.every(EVERY_MS, async () => void (await this.uploads.sweep()), failed);
  }
}
