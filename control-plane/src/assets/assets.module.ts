// The encrypted asset store: producer uploads and downloads, the agent's ciphertext transfers,
// resumable uploads (sessions, pieces, expiry) and project erasure (crypto-shredding). Keys come from the global KeysModule.
import { Module } from '@nestjs/common';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { ProjectsModule } from '../projects/projects.module.ts';
import { AgentAssetsController } from './agent-assets.controller.ts';
import { AgentAssetsService } from './agent-assets.service.ts';
import { AssetStore } from './asset-store.ts';
import { AssetStoreSweeper } from './asset-store.sweeper.ts';
import { AssetsController } from './assets.controller.ts';
import { AssetsRepository } from './assets.repository.ts';
import { AssetsService } from './assets.service.ts';
import { UploadHousekeeping } from './upload-housekeeping.ts';
import { UploadSessionsController } from './upload-sessions.controller.ts';
import { UploadSessionsRepository } from './upload-sessions.repository.ts';
import { UploadSessionsService } from './upload-sessions.service.ts';

@Module({
  imports: [ProjectsModule],
  controllers: [AssetsController, AgentAssetsController, UploadSessionsController],
  providers: [
    {
      provide: AssetStore,
      inject: [CONTROL_PLANE_CONFIG],
      useFactory: (c: ControlPlaneConfig) => new AssetStore(c.ENCLAVE_DATA_DIR),
    },
    AssetStoreSweeper,
    AssetsRepository,
    AssetsService,
    AgentAssetsService,
    UploadSessionsRepository,
    UploadSessionsService,
    UploadHousekeeping,
  ],
  exports: [AssetStore, AssetsRepository],
})
export class AssetsModule {}
