// At start-up, before the listeners take an upload: the `*.partial` files a crash mid-upload
// left in the asset store are removed and counted in one log line. A plain upload's temporary
// file is never an asset (no row names it), so nothing is lost. A resumable upload's file
// (`<uploadId>.upload.partial`) is kept while its session row exists: the client resumes it,
// and upload housekeeping removes it when the session expires.
import { MikroORM } from '@mikro-orm/sqlite';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppLogger } from '../logging/app-logger.ts';
import { AssetStore } from './asset-store.ts';
import { UPLOAD_PARTIAL_SUFFIX } from './partial-file.ts';
import { UploadSession } from './upload-session.entity.ts';

@Injectable()
export class AssetStoreSweeper implements OnModuleInit {
  constructor(
    private readonly store: AssetStore,
    private readonly orm: MikroORM,
    private readonly log: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const sessions = await this.orm.em.fork().find(UploadSession, {}, { fields: ['id'] });
    const resumable = new Set(sessions.map((row) => `${row.id}${UPLOAD_PARTIAL_SUFFIX}`));
    const removed = await this.store.sweepPartials((name) => resumable.has(name));
    this.log.write(removed > 0 ? 'warn' : 'info', 'Asset store swept of partial files left by a crash', {
      removedPartials: removed,
      uploadSessions: resumable.size,
    });
  }
}
